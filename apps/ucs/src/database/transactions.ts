import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * ucs write transactions. On SQLite TypeORM shares one connection, so two transactions (or a
 * statement and another request's transaction) must not interleave: they queue here. On MySQL they
 * run concurrently and rely on row locks.
 */
@Injectable()
export class Transactions {
  readonly sqlite: boolean;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.sqlite = dataSource.options.type !== 'mysql' && dataSource.options.type !== 'mariadb';
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.dataSource.transaction(work));
  }

  /** Runs `task` alone on SQLite (no other transaction open meanwhile); directly on MySQL. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    if (!this.sqlite) return task();
    const next = this.tail.then(task, task);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
