import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isMySql } from './dialect';
import { runBatchedTransaction } from './write-batch';

const DEADLOCK_ATTEMPTS = 4;

function isDeadlock(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return code === 'ER_LOCK_DEADLOCK';
}

/**
 * Write transactions of an app (one instance per app, provided by its global root module). On SQLite TypeORM shares one connection, so two transactions (or a
 * statement and another request's transaction) must not interleave: they queue here. On MySQL they
 * run concurrently, rely on row locks, and send their deferred writes in batches (write-batch.ts).
 */
@Injectable()
export class Transactions {
  readonly sqlite: boolean;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.sqlite = !isMySql(dataSource);
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.sqlite) return runBatchedTransaction(this.dataSource, work);
    return this.exclusive(() => this.dataSource.transaction(work));
  }

  /** `run`, again when MySQL chose the transaction as a deadlock victim (it changed nothing). */
  async runRetryingDeadlocks<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.run(work);
      } catch (error) {
        if (!isDeadlock(error) || attempt >= DEADLOCK_ATTEMPTS) throw error;
      }
    }
  }

  /** Runs `task` alone on SQLite (no other transaction open meanwhile); directly on MySQL. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    if (!this.sqlite) return task();
    const next = this.tail.then(task, task);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
