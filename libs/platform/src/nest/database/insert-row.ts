import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { entityPlans } from './entity-plans';
import { deferWrite } from './write-batch';

interface InsertPlan {
  sql: string;
  columns: { propertyName: string; prepare: (value: unknown) => unknown }[];
}

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

const planFor = entityPlans((metadata, driver): InsertPlan => {
  const columns = metadata.columns.filter((c) => !c.isGenerated);
  return {
    sql: `INSERT INTO ${driver.escape(metadata.tableName)} (${columns
      .map((c) => driver.escape(c.databaseName))
      .join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    columns: columns.map((column) => ({
      propertyName: column.propertyName,
      prepare: (value: unknown) =>
        driver.preparePersistentValue(value === undefined ? defaultOf(column.default) : value, column),
    })),
  };
});

/** A literal column default stands in for a missing value; SQL-function defaults do not apply here. */
function defaultOf(value: unknown): unknown {
  return typeof value === 'function' || value === undefined ? null : value;
}
