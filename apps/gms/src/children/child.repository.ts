import { insertRow, selectRow, selectRows, updateRows, type RowQuery } from '@cs/platform';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { LifecycleRow } from '../events/lifecycle-view';
import { statusCondition, type StatusFilter } from '../events/list-params';

/** Ids per IN list: well under every backend's bound-parameter limit. */
const IN_CHUNK = 500;

/** The columns every state and task row has: keyed by tenant, owning service and a per-service id. */
export interface ChildRow extends LifecycleRow, ObjectLiteral {
  tenant: string;
  serviceId: string;
  /** JSON text of `{ name: value }`. */
  extensions: string;
}

/** What tells the states table from the tasks table. */
export interface ChildTable<E> {
  entity: EntityTarget<E>;
  /** Query alias. */
  alias: string;
  /** The per-service id column (`state_id`, `task_id`). */
  idColumn: string;
  /** The business-attribute type column (`state_type`, `task_type`). */
  typeColumn: string;
  idOf(row: E): number;
}

export interface ChildListFilter {
  status: StatusFilter;
  /** JSON texts of the accepted type values (`state_types`, `task_types`). */
  types?: string[];
}

/** SQL for the states or the tasks of services. Every query filters on the tenant and the owning service. */
export abstract class ChildRepository<E extends ChildRow> {
  protected constructor(
    private readonly dataSource: DataSource,
    private readonly table: ChildTable<E>,
  ) {}

  async insert(manager: EntityManager, row: E): Promise<void> {
    await insertRow(manager, this.table.entity, row);
  }

  /** By key, answer unread: deferred to the transaction's next round trip where it batches. */
  async update(manager: EntityManager, row: E, changes: Partial<E>): Promise<void> {
    await updateRows(
      manager,
      this.table.entity,
      changes,
      `tenant = ? AND service_id = ? AND ${this.table.idColumn} = ?`,
      [row.tenant, row.serviceId, this.table.idOf(row)],
    );
  }

  async findById(
    tenant: string,
    serviceId: string,
    id: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<E | null> {
    const { entity, where, values } = this.byId(tenant, serviceId, id);
    return selectRow(manager, entity, where, values);
  }

  /** The query of `findById`, for a write that reads the row along with its service lock. */
  byId(tenant: string, serviceId: string, id: number): RowQuery<E> {
    return {
      entity: this.table.entity,
      where: `tenant = ? AND service_id = ? AND ${this.table.idColumn} = ?`,
      values: [tenant, serviceId, id],
    };
  }

  /** Spec §4.17, §4.22: ordered by id. */
  list(tenant: string, serviceId: string, filter: ChildListFilter): Promise<E[]> {
    return this.listQuery(tenant, serviceId, filter).getMany();
  }

  /** The rows of many services: one query per chunk of ids, never one per service (spec §2.8). */
  async listForServices(tenant: string, serviceIds: string[], status: StatusFilter): Promise<E[]> {
    const rows: E[] = [];
    const condition = statusCondition(status);
    const byStatus = condition ? ` AND ${condition}` : '';
    for (let i = 0; i < serviceIds.length; i += IN_CHUNK) {
      const ids = serviceIds.slice(i, i + IN_CHUNK);
      const where = `tenant = ? AND service_id IN (${ids.map(() => '?').join(', ')})${byStatus}`;
      rows.push(
        ...(await selectRows(this.dataSource.manager, this.table.entity, where, [tenant, ...ids], {
          orderBy: `${this.table.idColumn} ASC`,
        })),
      );
    }
    return rows;
  }

  /** Spec §4.3 cascade: every still-active row of the service ends with the service. */
  async completeActive(
    manager: EntityManager,
    tenant: string,
    serviceId: string,
    completed: string,
    completedAt: number,
  ): Promise<void> {
    await updateRows(
      manager,
      this.table.entity,
      { completed, completedAt } as Partial<E>,
      'tenant = ? AND service_id = ? AND completed_at IS NULL',
      [tenant, serviceId],
    );
  }

  /** The rows of one service by status and type, ordered by id; kinds add their own filters. */
  protected listQuery(tenant: string, serviceId: string, filter: ChildListFilter): SelectQueryBuilder<E> {
    const { alias: a, idColumn, typeColumn } = this.table;
    const query = this.dataSource
      .getRepository(this.table.entity)
      .createQueryBuilder(a)
      .where(`${a}.tenant = :tenant AND ${a}.service_id = :serviceId`, { tenant, serviceId });
    const condition = statusCondition(filter.status, `${a}.`);
    if (condition) query.andWhere(condition);
    if (filter.types) query.andWhere(`${a}.${typeColumn} IN (:...types)`, { types: filter.types });
    return query.orderBy(`${a}.${idColumn}`, 'ASC');
  }
}
