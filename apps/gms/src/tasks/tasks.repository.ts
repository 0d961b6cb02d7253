import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChildRepository, type ChildListFilter } from '../children/child.repository';
import { TaskEntity } from './task.entity';

export interface TaskListFilter extends ChildListFilter {
  /** Only the tasks under one of these states. */
  stateIds?: number[];
}

/** SQL for tasks (the shared queries of children/child.repository), plus the `state_id` filter. */
@Injectable()
export class TasksRepository extends ChildRepository<TaskEntity> {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource, {
      entity: TaskEntity,
      alias: 't',
      idColumn: 'task_id',
      typeColumn: 'task_type',
      idOf: (row) => row.taskId,
    });
  }

  /** Spec §4.22, ordered by `task_id`. */
  override list(tenant: string, serviceId: string, filter: TaskListFilter): Promise<TaskEntity[]> {
    const query = this.listQuery(tenant, serviceId, filter);
    if (filter.stateIds) query.andWhere('t.state_id IN (:...stateIds)', { stateIds: filter.stateIds });
    return query.getMany();
  }
}
