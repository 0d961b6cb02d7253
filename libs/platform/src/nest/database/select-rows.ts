import { isMySql } from './dialect';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { entityPlans } from './entity-plans';

interface SelectPlan {
  /** `SELECT <every column> FROM <table>`. */
  selectFrom: string;
  columns: ColumnMetadata[];
  create(): ObjectLiteral;
}

export interface SelectOptions {
  /** `ORDER BY` clause body, in column names (`state_id ASC`). */
  orderBy?: string;
  /** `FOR UPDATE` on MySQL (row locks); SQLite has none and runs transactions one at a time. */
  lock?: boolean;
}

/**
 * Entities by a WHERE clause written in column names with `?` parameters, on a hot read path,
 * without the query builder. The query builder rebuilds and regex-rewrites its SQL and maps aliased
 * columns on every call: about a seventh of gms's CPU on state and task writes (tools/bench). Here the
 * select list is built once per entity from TypeORM's metadata, and each value is hydrated by the
 * driver as the query builder would (types, booleans on SQLite, JSON). In a batching transaction the
 * query also carries the pending writes (write-batch.ts).
 */
export async function selectRows<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  where: string,
  values: unknown[],
  options: SelectOptions = {},
): Promise<E[]> {
  const plan = planFor(manager, entity);
  const sqlite = !isMySql(manager.connection);
  let sql = `${plan.selectFrom} WHERE ${where}`;
  if (options.orderBy) sql += ` ORDER BY ${options.orderBy}`;
  if (options.lock && !sqlite) sql += ' FOR UPDATE';
  const raws = (await manager.query(sql, values)) as Record<string, unknown>[];
  const driver = manager.connection.driver;
  return raws.map((raw) => {
    const row = plan.create();
    for (const column of plan.columns) {
      const value = raw[column.databaseName];
      if (value !== undefined) row[column.propertyName] = driver.prepareHydratedValue(value, column);
    }
    return row as E;
  });
}

/** The first of `selectRows`, or null. */
export async function selectRow<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  where: string,
  values: unknown[],
  options: SelectOptions = {},
): Promise<E | null> {
  const [row] = await selectRows(manager, entity, where, values, options);
  return row ?? null;
}

const planFor = entityPlans((metadata, driver): SelectPlan => {
  const columns = metadata.columns.filter((c) => !c.isVirtual);
  const list = columns.map((c) => driver.escape(c.databaseName)).join(', ');
  return {
    selectFrom: `SELECT ${list} FROM ${driver.escape(metadata.tableName)}`,
    columns,
    create: () => metadata.create(undefined, { fromDeserializer: true }),
  };
});
