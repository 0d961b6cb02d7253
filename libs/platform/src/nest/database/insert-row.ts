import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { deferWrite } from './write-batch';

interface InsertPlan {
  sql: string;
  columns: { propertyName: string; prepare: (value: unknown) => unknown }[];
}

const plans = new WeakMap<object, Map<unknown, InsertPlan>>();

/**
 * One INSERT of one row on a hot write path, without the query builder: the statement is built once
 * per entity and connection from TypeORM's metadata (the same columns, and each value converted by
 * the driver as the query builder would, e.g. booleans on SQLite), so a request pays one
 * parameterised query and nothing else. Generated columns are left to the database. In a batching
 * transaction the INSERT goes with the transaction's next statement (`deferWrite`).
 */
export async function insertRow<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  row: Partial<E>,
): Promise<void> {
  const plan = planFor(manager, entity);
  const values = plan.columns.map((c) => c.prepare(row[c.propertyName]));
  await deferWrite(manager, plan.sql, values);
}

function planFor(manager: EntityManager, entity: EntityTarget<ObjectLiteral>): InsertPlan {
  const { connection } = manager;
  let byEntity = plans.get(connection);
  if (!byEntity) plans.set(connection, (byEntity = new Map()));
  const known = byEntity.get(entity);
  if (known) return known;
  const metadata = connection.getMetadata(entity);
  const driver = connection.driver;
  const columns = metadata.columns.filter((c) => !c.isGenerated);
  const plan: InsertPlan = {
    sql: `INSERT INTO ${driver.escape(metadata.tableName)} (${columns
      .map((c) => driver.escape(c.databaseName))
      .join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    columns: columns.map((column) => ({
      propertyName: column.propertyName,
      prepare: (value: unknown) =>
        driver.preparePersistentValue(value === undefined ? defaultOf(column.default) : value, column),
    })),
  };
  byEntity.set(entity, plan);
  return plan;
}

/** A literal column default stands in for a missing value; SQL-function defaults do not apply here. */
function defaultOf(value: unknown): unknown {
  return typeof value === 'function' || value === undefined ? null : value;
}
