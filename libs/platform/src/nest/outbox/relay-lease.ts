import { randomUUID } from 'node:crypto';
import { readFile, unlink, writeFile } from 'node:fs/promises';
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

const LEASE_SESSION_IDLE_S = 180;

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
        // After a network partition the server would keep this session, and the lock, for hours
        // (wait_timeout): an idle limit well above the relay's longest pause between lease checks
        // (poll ≤ 60 s) frees it soon after, so the relay can take the lease again.
        await this.runner.query(`SET SESSION wait_timeout = ${LEASE_SESSION_IDLE_S}`);
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

/**
 * SQLite: a lock file next to the database (`<file>.outbox-relay.lock`), created exclusively and
 * holding `<pid>:<token>`; a file left by a process that is gone is taken over. Covers several
 * processes (or app instances) on one database file.
 */
export class LockFileLease implements RelayLease {
  private readonly token = `${process.pid}:${randomUUID()}`;

  constructor(private readonly path: string) {}

  async acquire(): Promise<boolean> {
    if (await this.create()) return true;
    const owner = Number((await this.content()).split(':')[0]);
    if (Number.isInteger(owner) && owner > 0 && !processAlive(owner)) {
      await unlink(this.path).catch(() => undefined);
      return this.create();
    }
    return false;
  }

  async held(): Promise<boolean> {
    return (await this.content()) === this.token;
  }

  async release(): Promise<void> {
    if (await this.held()) await unlink(this.path).catch(() => undefined);
  }

  private async create(): Promise<boolean> {
    try {
      await writeFile(this.path, this.token, { flag: 'wx' });
      return true;
    } catch {
      return false;
    }
  }

  private content(): Promise<string> {
    return readFile(this.path, 'utf8').catch(() => '');
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
