import { insertRow, selectRow, selectRows } from '@cs/platform';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { statusCondition, type StatusFilter } from '../events/list-params';
import { StateEntity } from '../states/state.entity';
import { TaskEntity } from '../tasks/task.entity';
import { ServiceEntity } from './service.entity';

/** Which services a list query (spec §4.7–4.12) selects, besides tenant, group and expiration. */
export interface ServiceListFilter {
  /** Anonymous services with this contact key, or the services of this customer. */
  owner: { contactKey: string } | { customerId: string };
  status: StatusFilter;
  startedFrom?: number;
  startedTo?: number;
  /** JSON texts of the accepted `service_type` values. */
  serviceTypes?: string[];
}

/** SQL for services. Every query filters on the tenant. */
@Injectable()
export class ServicesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One INSERT, no reload (the generated `seq` is not needed by callers); in `manager`'s transaction if given. */
  async insert(
    row: Omit<ServiceEntity, 'seq'>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await insertRow(manager, ServiceEntity, row);
  }

  async findById(tenant: string, serviceId: string): Promise<ServiceEntity | null> {
    return selectRow(this.dataSource.manager, ServiceEntity, 'tenant = ? AND service_id = ?', [
      tenant,
      serviceId,
    ]);
  }

  /** Spec §2.12: by start time, ties by creation order. */
  async list(
    tenant: string,
    group: string | undefined,
    now: number,
    filter: ServiceListFilter,
  ): Promise<ServiceEntity[]> {
    const where = ['tenant = ?', 'expires_at > ?'];
    const values: unknown[] = [tenant, now];
    const and = (condition: string, ...params: unknown[]) => {
      where.push(condition);
      values.push(...params);
    };
    if ('contactKey' in filter.owner) {
      and('contact_key = ?', filter.owner.contactKey);
      and('customer_id IS NULL');
    } else {
      and('customer_id = ?', filter.owner.customerId);
    }
    if (group !== undefined) and('group_id = ?', group);
    const condition = statusCondition(filter.status);
    if (condition) and(condition);
    if (filter.startedFrom !== undefined) and('started_at >= ?', filter.startedFrom);
    if (filter.startedTo !== undefined) and('started_at < ?', filter.startedTo);
    if (filter.serviceTypes)
      and(`service_type IN (${filter.serviceTypes.map(() => '?').join(', ')})`, ...filter.serviceTypes);
    return selectRows(this.dataSource.manager, ServiceEntity, where.join(' AND '), values, {
      orderBy: 'started_at ASC, seq ASC',
    });
  }

  /** Spec §4.6: the service with its states and tasks, inside the caller's transaction. */
  async deleteWithChildren(manager: EntityManager, tenant: string, serviceId: string): Promise<void> {
    for (const entity of [TaskEntity, StateEntity, ServiceEntity]) {
      await manager
        .createQueryBuilder()
        .delete()
        .from(entity)
        .where('tenant = :tenant AND service_id = :serviceId', { tenant, serviceId })
        .execute();
    }
  }
}
