import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { isMySql } from './dialect';
import { entityPlans } from './entity-plans';
import { queryTogether } from './write-batch';

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

/** One `selectRows` query, for `selectRowsThen`. */
export interface RowQuery<E extends ObjectLiteral> {
  entity: EntityTarget<E>;
  where: string;
  values: unknown[];
  options?: SelectOptions;
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
  const query = { entity, where, values, options };
  return hydrate(manager, query, await manager.query(sqlOf(manager, query), values));
}

/**
 * Two queries, the second run after the first (so after the first one's row locks), in one round
 * trip where the transaction batches (write-batch.ts); one after the other elsewhere. For a write
 * that locks its service and reads the state or task it changes.
 */
export async function selectRowsThen<A extends ObjectLiteral, B extends ObjectLiteral>(
  manager: EntityManager,
  first: RowQuery<A>,
  then: RowQuery<B>,
): Promise<[A[], B[]]> {
  const [a, b] = await queryTogether(manager, [
    { sql: sqlOf(manager, first), values: first.values },
    { sql: sqlOf(manager, then), values: then.values },
  ]);
  return [hydrate(manager, first, a), hydrate(manager, then, b)];
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

function sqlOf<E extends ObjectLiteral>(manager: EntityManager, query: RowQuery<E>): string {
  const { orderBy, lock } = query.options ?? {};
  let sql = `${planFor(manager, query.entity).selectFrom} WHERE ${query.where}`;
  if (orderBy) sql += ` ORDER BY ${orderBy}`;
  if (lock && isMySql(manager.connection)) sql += ' FOR UPDATE';
  return sql;
}

function hydrate<E extends ObjectLiteral>(manager: EntityManager, query: RowQuery<E>, raws: unknown): E[] {
  const plan = planFor(manager, query.entity);
  const driver = manager.connection.driver;
  return (raws as Record<string, unknown>[]).map((raw) => {
    const row = plan.create();
    for (const column of plan.columns) {
      const value = raw[column.databaseName];
      if (value !== undefined) row[column.propertyName] = driver.prepareHydratedValue(value, column);
    }
    return row as E;
  });
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
