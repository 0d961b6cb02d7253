import { insertRow } from '@cs/platform';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { StatusFilter } from '../events/list-params';
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
    return this.dataSource
      .getRepository(ServiceEntity)
      .createQueryBuilder('s')
      .where('s.tenant = :tenant AND s.service_id = :serviceId', { tenant, serviceId })
      .getOne();
  }

  /** Spec §2.12: by start time, ties by creation order. */
  async list(
    tenant: string,
    group: string | undefined,
    now: number,
    filter: ServiceListFilter,
  ): Promise<ServiceEntity[]> {
    const query = this.dataSource
      .getRepository(ServiceEntity)
      .createQueryBuilder('s')
      .where('s.tenant = :tenant', { tenant })
      .andWhere('s.expires_at > :now', { now });
    if ('contactKey' in filter.owner) {
      query
        .andWhere('s.contact_key = :contactKey', { contactKey: filter.owner.contactKey })
        .andWhere('s.customer_id IS NULL');
    } else {
      query.andWhere('s.customer_id = :customerId', { customerId: filter.owner.customerId });
    }
    if (group !== undefined) query.andWhere('s.group_id = :group', { group });
    if (filter.status === 'active') query.andWhere('s.completed_at IS NULL');
    if (filter.status === 'completed') query.andWhere('s.completed_at IS NOT NULL');
    if (filter.startedFrom !== undefined)
      query.andWhere('s.started_at >= :from', { from: filter.startedFrom });
    if (filter.startedTo !== undefined) query.andWhere('s.started_at < :to', { to: filter.startedTo });
    if (filter.serviceTypes) query.andWhere('s.service_type IN (:...types)', { types: filter.serviceTypes });
    return query.orderBy('s.started_at', 'ASC').addOrderBy('s.seq', 'ASC').getMany();
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
