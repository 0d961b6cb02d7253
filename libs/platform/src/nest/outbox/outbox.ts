import type { EventEnvelope } from '@cs/contracts';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { deferWrite } from '../database/write-batch';
import { outgoingHeaders } from '../messaging/headers';
import { OUTBOX_TABLE } from './outbox-table';

/** Marks a query runner whose transaction wrote outbox rows (the relay is woken after its commit). */
export const OUTBOX_WRITTEN = 'csOutboxWritten';

const COLUMNS = ['event_id', 'tenant', 'subject', 'aggregate', 'envelope', 'headers', 'created_at'];
const ROW = `(${COLUMNS.map(() => '?').join(', ')})`;
const ROWS_PER_INSERT = 100;

export interface OutboxEntry {
  envelope: EventEnvelope;
  /** What the event is about, e.g. `service:<tenant>:<id>`; defaults to `<type>:<tenant>`. */
  aggregate?: string;
}

/**
 * Writes events into the outbox inside the caller's transaction: the event exists exactly when the
 * change it describes committed. One INSERT for all the events of a write, deferred to the commit's
 * round trip in a batching transaction.
 */
@Injectable()
export class Outbox {
  async add(
    manager: EntityManager,
    entries: OutboxEntry | OutboxEntry[],
    headers: Record<string, string> = outgoingHeaders(),
  ): Promise<void> {
    const list = Array.isArray(entries) ? entries : [entries];
    if (list.length === 0) return;
    if (!manager.queryRunner?.isTransactionActive)
      throw new Error('Outbox.add must run inside the transaction of the change');
    const now = Date.now();
    const headersJson = JSON.stringify(headers);
    // A batch job's events go in chunks, so that one statement stays well under the packet limits.
    for (let from = 0; from < list.length; from += ROWS_PER_INSERT) {
      const chunk = list.slice(from, from + ROWS_PER_INSERT);
      const values: unknown[] = [];
      for (const { envelope, aggregate } of chunk) {
        values.push(
          envelope.id,
          envelope.tenant,
          envelope.type,
          aggregate ?? `${envelope.type}:${envelope.tenant}`,
          JSON.stringify(envelope),
          headersJson,
          now,
        );
      }
      await deferWrite(
        manager,
        `INSERT INTO ${OUTBOX_TABLE} (${COLUMNS.join(', ')}) VALUES ${chunk.map(() => ROW).join(', ')}`,
        values,
      );
    }
    manager.queryRunner.data[OUTBOX_WRITTEN] = true;
  }
}
