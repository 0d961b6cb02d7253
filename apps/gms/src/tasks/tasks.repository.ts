import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { StatusFilter } from '../events/list-params';
import { TaskEntity } from './task.entity';

const IN_CHUNK = 500;

export interface TaskListFilter {
  status: StatusFilter;
  /** JSON texts of the accepted `task_type` values. */
  taskTypes?: string[];
  stateIds?: number[];
}

/** SQL for tasks. Every query filters on the tenant and the owning service. */
@Injectable()
export class TasksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, row: TaskEntity): Promise<void> {
    await manager.createQueryBuilder().insert().into(TaskEntity).values(row).updateEntity(false).execute();
  }

  async update(
    manager: EntityManager,
    key: Pick<TaskEntity, 'tenant' | 'serviceId' | 'taskId'>,
    changes: Partial<TaskEntity>,
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(TaskEntity)
      .set(changes)
      .where('tenant = :tenant AND service_id = :serviceId AND task_id = :taskId', {
        tenant: key.tenant,
        serviceId: key.serviceId,
        taskId: key.taskId,
      })
      .updateEntity(false)
      .execute();
  }

  async findById(
    tenant: string,
    serviceId: string,
    taskId: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<TaskEntity | null> {
    return manager
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .where('t.tenant = :tenant AND t.service_id = :serviceId AND t.task_id = :taskId', {
        tenant,
        serviceId,
        taskId,
      })
      .getOne();
  }

  /** Spec §4.22, ordered by `task_id`. */
  async list(tenant: string, serviceId: string, filter: TaskListFilter): Promise<TaskEntity[]> {
    const query = this.dataSource
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .where('t.tenant = :tenant AND t.service_id = :serviceId', { tenant, serviceId });
    if (filter.status === 'active') query.andWhere('t.completed_at IS NULL');
    if (filter.status === 'completed') query.andWhere('t.completed_at IS NOT NULL');
    if (filter.taskTypes) query.andWhere('t.task_type IN (:...types)', { types: filter.taskTypes });
    if (filter.stateIds) query.andWhere('t.state_id IN (:...stateIds)', { stateIds: filter.stateIds });
    return query.orderBy('t.task_id', 'ASC').getMany();
  }

  /** The tasks of many services: one query per chunk of ids, never one per service (spec §2.8). */
  async listForServices(tenant: string, serviceIds: string[], status: StatusFilter): Promise<TaskEntity[]> {
    const rows: TaskEntity[] = [];
    for (let i = 0; i < serviceIds.length; i += IN_CHUNK) {
      const query = this.dataSource
        .getRepository(TaskEntity)
        .createQueryBuilder('t')
        .where('t.tenant = :tenant AND t.service_id IN (:...ids)', {
          tenant,
          ids: serviceIds.slice(i, i + IN_CHUNK),
        });
      if (status === 'active') query.andWhere('t.completed_at IS NULL');
      if (status === 'completed') query.andWhere('t.completed_at IS NOT NULL');
      rows.push(...(await query.orderBy('t.task_id', 'ASC').getMany()));
    }
    return rows;
  }

  async completeActive(
    manager: EntityManager,
    tenant: string,
    serviceId: string,
    completed: string,
    completedAt: number,
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(TaskEntity)
      .set({ completed, completedAt })
      .where('tenant = :tenant AND service_id = :serviceId AND completed_at IS NULL', { tenant, serviceId })
      .updateEntity(false)
      .execute();
  }
}
