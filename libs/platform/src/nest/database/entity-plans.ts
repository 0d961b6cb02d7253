import type { Driver, EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * A cache of what a hot-path helper derives from an entity's TypeORM metadata (an INSERT statement,
 * a select list), built on first use per data source and entity and reused by every later call.
 */
export function entityPlans<P>(
  build: (metadata: EntityMetadata, driver: Driver) => P,
): (manager: EntityManager, entity: EntityTarget<ObjectLiteral>) => P {
  const byDataSource = new WeakMap<object, Map<unknown, P>>();
  return (manager, entity) => {
    const { connection } = manager;
    let byEntity = byDataSource.get(connection);
    if (!byEntity) byDataSource.set(connection, (byEntity = new Map()));
    let plan = byEntity.get(entity);
    if (plan === undefined) {
      plan = build(connection.getMetadata(entity), connection.driver);
      byEntity.set(entity, plan);
    }
    return plan;
  };
}
