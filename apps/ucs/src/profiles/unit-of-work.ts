import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Transactions } from '@cs/platform';

const DEADLOCK_RETRIES = 5;

/** True for a unique-index violation on MySQL/MariaDB (mysql2) or SQLite (better-sqlite3). */
export function isDuplicateKey(error: unknown): boolean {
  const code = driverCode(error);
  return (
    code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

function isDeadlock(error: unknown): boolean {
  const code = driverCode(error);
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT';
}

function driverCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Runs every ucs write as one transaction (spec §2.11) through the app's shared `Transactions` (on
 * SQLite they queue on the one connection). On MySQL, a transaction the server chose as a deadlock
 * victim changed nothing and is retried.
 */
@Injectable()
export class UnitOfWork {
  constructor(private readonly transactions: Transactions) {}

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transactions.run(work);
      } catch (error) {
        if (!isDeadlock(error) || attempt > DEADLOCK_RETRIES) throw error;
      }
    }
  }
}
