import { EventSubjects } from '@cs/contracts';
import { Injectable } from '@nestjs/common';
import { ChildService } from '../children/child.service';
import { ownerOf } from '../children/child-view';
import { EventAnnouncer } from '../events/announcer';
import type { ExtensionSelector } from '../events/extensions';
import type { StatusFilter } from '../events/list-params';
import { ServiceScope, ServiceWriter } from '../services/service-writer';
import { ServicesService } from '../services/services.service';
import { stateNotFound } from '../states/errors';
import { StatesRepository } from '../states/states.repository';
import type { StartTaskInput } from './dto/start-task';
import { TASK_RESERVED } from './dto/task-fields';
import { taskNotFound } from './errors';
import type { TaskEntity } from './task.entity';
import { toTaskView } from './task-view';
import { TasksRepository } from './tasks.repository';

export interface TaskListQuery {
  taskTypes?: string[];
  stateIds?: number[];
  selector: ExtensionSelector;
}

/** Tasks: start here (optionally under a state); end, extensions and lookups shared with states (ChildService). */
@Injectable()
export class TasksService extends ChildService<TaskEntity> {
  constructor(
    private readonly repository: TasksRepository,
    private readonly states: StatesRepository,
    services: ServicesService,
    writer: ServiceWriter,
    events: EventAnnouncer,
  ) {
    super(
      {
        name: 'Task',
        lastId: 'lastTaskId',
        notFound: taskNotFound,
        reserved: TASK_RESERVED,
        completedSubject: EventSubjects.gmsTaskCompleted,
        extensionUpdatedSubject: EventSubjects.gmsTaskExtensionUpdated,
        eventView: (row, owner) => toTaskView(row, owner, 'all'),
      },
      repository,
      services,
      writer,
      events,
    );
  }

  /** Spec §4.20: a new active task with the next id of the service, optionally under a state. */
  async start(scope: ServiceScope, input: StartTaskInput, now: number): Promise<number> {
    const { result: row } = await this.writer.write(scope, now, async (ctx) => {
      if (input.stateId !== undefined) {
        const state = await this.states.findById(scope.tenant, scope.serviceId, input.stateId, ctx.manager);
        if (!state) throw stateNotFound(scope.serviceId, input.stateId);
      }
      const task: TaskEntity = {
        tenant: scope.tenant,
        serviceId: ctx.service.serviceId,
        taskId: this.nextId(ctx),
        stateId: input.stateId ?? null,
        taskType: input.taskType === undefined ? null : JSON.stringify(input.taskType),
        estDuration: input.estDuration ?? null,
        started: JSON.stringify(input.started.fields),
        startedAt: input.started.timestampMs,
        completed: null,
        completedAt: null,
        disposition: null,
        dispositionDesc: null,
        extensions: JSON.stringify(input.extensions),
      };
      await this.repository.insert(ctx.manager, task);
      ctx.announce((service) => this.event(EventSubjects.gmsTaskStarted, scope, service, task));
      return task;
    });
    return row.taskId;
  }

  /** Spec §4.23. */
  async get(
    scope: ServiceScope,
    taskId: number,
    selector: ExtensionSelector,
  ): Promise<Record<string, unknown>> {
    const { service, row } = await this.visible(scope, taskId);
    return toTaskView(row, ownerOf(service), selector);
  }

  /** Spec §4.22: ordered by task_id; `[]` when none. */
  async list(
    scope: ServiceScope,
    status: StatusFilter,
    query: TaskListQuery,
  ): Promise<Record<string, unknown>[]> {
    const service = await this.services.requireVisible(scope);
    const rows = await this.repository.list(scope.tenant, scope.serviceId, {
      status,
      types: query.taskTypes,
      stateIds: query.stateIds,
    });
    const owner = ownerOf(service);
    return rows.map((row) => toTaskView(row, owner, query.selector));
  }
}
