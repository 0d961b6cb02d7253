import type { DataSource } from 'typeorm';
import { OUTBOX_TABLE } from './outbox-table';

export interface OutboxRow {
  seq: number;
  envelope: string;
  headers: string;
}

export interface OutboxBacklog {
  /** Events written but not yet acknowledged by the transport. */
  unsent: number;
  /** When the oldest of them was written (epoch ms), if any. */
  oldestCreatedAt?: number;
}

/** Runs a statement so that it does not land inside another request's SQLite transaction. */
export type Serializer = <T>(task: () => Promise<T>) => Promise<T>;

/** What the relay needs from the table. The relay is cross-tenant by design: it ships every row. */
export interface RelayStore {
  unsent(limit: number): Promise<OutboxRow[]>;
  markSent(seqs: number[], at: number): Promise<void>;
  prune(sentBefore: number): Promise<void>;
  backlog(): Promise<OutboxBacklog>;
}

/** The outbox table through the app's DataSource; portable SQL (MySQL, MariaDB, SQLite). */
export class SqlOutboxStore implements RelayStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly serialize: Serializer = (task) => task(),
  ) {}

  async unsent(limit: number): Promise<OutboxRow[]> {
    const rows = await this.serialize(
      () =>
        this.dataSource.query(
          `SELECT seq, envelope, headers FROM ${OUTBOX_TABLE} WHERE sent_at IS NULL ORDER BY seq LIMIT ?`,
          [limit],
        ) as Promise<{ seq: number | string; envelope: string; headers: string }[]>,
    );
    return rows.map((r) => ({ seq: Number(r.seq), envelope: r.envelope, headers: r.headers }));
  }

  async markSent(seqs: number[], at: number): Promise<void> {
    if (seqs.length === 0) return;
    await this.serialize(() =>
      this.dataSource.query(
        `UPDATE ${OUTBOX_TABLE} SET sent_at = ? WHERE seq IN (${seqs.map(() => '?').join(', ')})`,
        [at, ...seqs],
      ),
    );
  }

  async prune(sentBefore: number): Promise<void> {
    await this.serialize(() =>
      this.dataSource.query(`DELETE FROM ${OUTBOX_TABLE} WHERE sent_at < ?`, [sentBefore]),
    );
  }

  async backlog(): Promise<OutboxBacklog> {
    const [row] = await this.serialize(
      () =>
        this.dataSource.query(
          `SELECT COUNT(*) AS unsent, MIN(created_at) AS oldest FROM ${OUTBOX_TABLE} WHERE sent_at IS NULL`,
        ) as Promise<{ unsent: number | string; oldest: number | string | null }[]>,
    );
    const backlog: OutboxBacklog = { unsent: Number(row?.unsent ?? 0) };
    if (row?.oldest !== null && row?.oldest !== undefined) backlog.oldestCreatedAt = Number(row.oldest);
    return backlog;
  }
}
