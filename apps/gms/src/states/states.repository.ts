import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { StatusFilter } from '../events/list-params';
import { StateEntity } from './state.entity';

/** Ids per IN list: well under every backend's bound-parameter limit. */
const IN_CHUNK = 500;

export interface StateListFilter {
  status: StatusFilter;
  /** JSON texts of the accepted `state_type` values. */
  stateTypes?: string[];
}

/** SQL for states. Every query filters on the tenant and the owning service. */
@Injectable()
export class StatesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, row: StateEntity): Promise<void> {
    await manager.createQueryBuilder().insert().into(StateEntity).values(row).updateEntity(false).execute();
  }

  async update(
    manager: EntityManager,
    key: Pick<StateEntity, 'tenant' | 'serviceId' | 'stateId'>,
    changes: Partial<StateEntity>,
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(StateEntity)
      .set(changes)
      .where('tenant = :tenant AND service_id = :serviceId AND state_id = :stateId', {
        tenant: key.tenant,
        serviceId: key.serviceId,
        stateId: key.stateId,
      })
      .updateEntity(false)
      .execute();
  }

  async findById(
    tenant: string,
    serviceId: string,
    stateId: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<StateEntity | null> {
    return manager
      .getRepository(StateEntity)
      .createQueryBuilder('st')
      .where('st.tenant = :tenant AND st.service_id = :serviceId AND st.state_id = :stateId', {
        tenant,
        serviceId,
        stateId,
      })
      .getOne();
  }

  /** Spec §4.17, ordered by `state_id`. */
  async list(tenant: string, serviceId: string, filter: StateListFilter): Promise<StateEntity[]> {
    const query = this.dataSource
      .getRepository(StateEntity)
      .createQueryBuilder('st')
      .where('st.tenant = :tenant AND st.service_id = :serviceId', { tenant, serviceId });
    if (filter.status === 'active') query.andWhere('st.completed_at IS NULL');
    if (filter.status === 'completed') query.andWhere('st.completed_at IS NOT NULL');
    if (filter.stateTypes) query.andWhere('st.state_type IN (:...types)', { types: filter.stateTypes });
    return query.orderBy('st.state_id', 'ASC').getMany();
  }

  /** The states of many services: one query per chunk of ids, never one per service (spec §2.8). */
  async listForServices(tenant: string, serviceIds: string[], status: StatusFilter): Promise<StateEntity[]> {
    const rows: StateEntity[] = [];
    for (let i = 0; i < serviceIds.length; i += IN_CHUNK) {
      const query = this.dataSource
        .getRepository(StateEntity)
        .createQueryBuilder('st')
        .where('st.tenant = :tenant AND st.service_id IN (:...ids)', {
          tenant,
          ids: serviceIds.slice(i, i + IN_CHUNK),
        });
      if (status === 'active') query.andWhere('st.completed_at IS NULL');
      if (status === 'completed') query.andWhere('st.completed_at IS NOT NULL');
      rows.push(...(await query.orderBy('st.state_id', 'ASC').getMany()));
    }
    return rows;
  }

  /** Spec §4.3 cascade: every still-active state of the service ends with the service. */
  async completeActive(
    manager: EntityManager,
    tenant: string,
    serviceId: string,
    completed: string,
    completedAt: number,
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(StateEntity)
      .set({ completed, completedAt })
      .where('tenant = :tenant AND service_id = :serviceId AND completed_at IS NULL', { tenant, serviceId })
      .updateEntity(false)
      .execute();
  }
}
