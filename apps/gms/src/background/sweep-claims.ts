import { isMySql } from '@cs/platform';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { ServiceEntity } from '../services/service.entity';

/** Services handled per transaction by a sweep: bounded work and short row locks. */
export const SWEEP_BATCH_SIZE = 200;

/**
 * Runs one sweep batch so that several replicas can sweep at once (ARCHITECTURE §1):
 * - MySQL/MariaDB: in one transaction, the due rows are claimed with `FOR UPDATE SKIP LOCKED` (rows a
 *   replica or a request holds are left to them), then `apply` writes them;
 * - SQLite (one writer): the due rows are read, then `apply` runs in a transaction of its own that
 *   starts with its writes, queued with the request path's transactions by `exclusive`.
 * In both, `apply` re-checks the condition in each write, so a row changed meanwhile is skipped.
 * Returns how many rows were claimed (less than the batch size: nothing more is due) and what `apply` gave.
 */
export async function sweepBatch<T>(
  dataSource: DataSource,
  due: (qb: SelectQueryBuilder<ServiceEntity>) => SelectQueryBuilder<ServiceEntity>,
  apply: (manager: EntityManager, rows: ServiceEntity[]) => Promise<T[]>,
  exclusive: <R>(run: () => Promise<R>) => Promise<R>,
): Promise<{ claimed: number; done: T[] }> {
  const query = (manager: EntityManager) =>
    due(manager.getRepository(ServiceEntity).createQueryBuilder('s')).limit(SWEEP_BATCH_SIZE);
  if (isMySql(dataSource)) {
    return dataSource.transaction('READ COMMITTED', async (manager) => {
      const rows = await query(manager).setLock('pessimistic_write').setOnLocked('skip_locked').getMany();
      return { claimed: rows.length, done: rows.length === 0 ? [] : await apply(manager, rows) };
    });
  }
  const rows = await query(dataSource.manager).getMany();
  if (rows.length === 0) return { claimed: 0, done: [] };
  const done = await exclusive(() => dataSource.transaction((manager) => apply(manager, rows)));
  return { claimed: rows.length, done };
}
