import type { DataSource, QueryRunner } from 'typeorm';

/** Exactly one active relay per database: the others wait (and keep trying) until it goes away. */
export interface RelayLease {
  /** Takes the lease if it is free; true when this process holds it. */
  acquire(): Promise<boolean>;
  /** Still held (a lost connection loses a MySQL lock). */
  held(): Promise<boolean>;
  release(): Promise<void>;
}

/** SQLite: the database is a file of this one process; nobody to share the relay with. */
export class SoleLease implements RelayLease {
  async acquire(): Promise<boolean> {
    return true;
  }
  async held(): Promise<boolean> {
    return true;
  }
  async release(): Promise<void> {
    // Nothing was taken.
  }
}

/**
 * MySQL/MariaDB: a named lock (`GET_LOCK('<db>.outbox-relay', 0)`) on a connection kept for it; the
 * server frees it when that connection ends, so a crashed replica hands over by itself.
 */
export class MysqlNamedLockLease implements RelayLease {
  private runner?: QueryRunner;
  private name?: string;

  constructor(private readonly dataSource: DataSource) {}

  async acquire(): Promise<boolean> {
    try {
      if (!this.runner) {
        this.runner = this.dataSource.createQueryRunner();
        await this.runner.connect();
        const [db] = (await this.runner.query('SELECT DATABASE() AS db')) as { db: string | null }[];
        this.name = `${db?.db ?? 'cs'}.outbox-relay`.slice(-64);
      }
      const [row] = (await this.runner.query('SELECT GET_LOCK(?, 0) AS got', [this.name])) as {
        got: number | string | null;
      }[];
      return Number(row?.got) === 1;
    } catch {
      await this.drop();
      return false;
    }
  }

  async held(): Promise<boolean> {
    if (!this.runner) return false;
    try {
      const [row] = (await this.runner.query('SELECT IS_USED_LOCK(?) = CONNECTION_ID() AS mine', [
        this.name,
      ])) as { mine: number | string | null }[];
      return Number(row?.mine) === 1;
    } catch {
      await this.drop();
      return false;
    }
  }

  async release(): Promise<void> {
    if (!this.runner) return;
    try {
      await this.runner.query('SELECT RELEASE_LOCK(?)', [this.name]);
    } catch {
      // The connection is gone, and the lock with it.
    }
    await this.drop();
  }

  private async drop(): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    await runner?.release().catch(() => undefined);
  }
}
