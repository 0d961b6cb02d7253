import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { entityPlans } from './entity-plans';
import { deferWrite } from './write-batch';

const columnsOf = entityPlans(
  (metadata) => new Map(metadata.columns.map((column) => [column.propertyName, column] as const)),
);

/**
 * One UPDATE by a WHERE clause in column names with `?` parameters, on a hot write path, without the
 * query builder (which rebuilds and regex-rewrites its SQL per call); each value is converted by the
 * driver as the query builder would. Deferred in a batching transaction (`deferWrite`).
 */
export async function updateRows<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  changes: Partial<E>,
  where: string,
  whereValues: unknown[],
): Promise<void> {
  const columns = columnsOf(manager, entity);
  const driver = manager.connection.driver;
  const assignments: string[] = [];
  const values: unknown[] = [];
  for (const [property, value] of Object.entries(changes)) {
    if (value === undefined) continue; // as the query builder: nothing to set
    const column = columns.get(property);
    if (!column) throw new Error(`updateRows: ${property} is not a column`);
    if (!column.isUpdate) continue;
    assignments.push(`${driver.escape(column.databaseName)} = ?`);
    values.push(driver.preparePersistentValue(value, column));
  }
  if (assignments.length === 0) return;
  const table = driver.escape(manager.connection.getMetadata(entity).tableName);
  await deferWrite(manager, `UPDATE ${table} SET ${assignments.join(', ')} WHERE ${where}`, [
    ...values,
    ...whereValues,
  ]);
}
