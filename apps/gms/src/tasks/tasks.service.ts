import { EventSubjects } from '@cs/contracts';
import { Injectable } from '@nestjs/common';
import type { OutboxEntry } from '@cs/platform';
import { EventAnnouncer } from '../events/announcer';
import type { EndEventInput } from '../events/end-event';
import { alreadyCompleted } from '../events/errors';
import { checkExtensionUpdate } from '../events/extension-update';
import { mergeExtensions, type ExtensionSelector } from '../events/extensions';
import type { StatusFilter } from '../events/list-params';
import type { ServiceEntity } from '../services/service.entity';
import { ServiceScope, ServiceWriter, WriteContext } from '../services/service-writer';
import { ServicesService } from '../services/services.service';
import { stateNotFound } from '../states/errors';
import type { Owner } from '../states/state-view';
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

const ownerOf = (service: ServiceEntity): Owner => ({
  serviceId: service.serviceId,
  customerId: service.customerId,
});

@Injectable()
export class TasksService {
  constructor(
    private readonly repository: TasksRepository,
    private readonly states: StatesRepository,
    private readonly services: ServicesService,
    private readonly writer: ServiceWriter,
    private readonly events: EventAnnouncer,
  ) {}

  /** Spec §4.20: a new active task with the next id of the service, optionally under a state. */
  async start(scope: ServiceScope, input: StartTaskInput, now: number): Promise<number> {
    const { result: row } = await this.writer.write(scope, now, async (ctx) => {
      if (input.stateId !== undefined) {
        const state = await this.states.findById(scope.tenant, scope.serviceId, input.stateId, ctx.manager);
        if (!state) throw stateNotFound(scope.serviceId, input.stateId);
      }
      const taskId = Number(ctx.service.lastTaskId) + 1;
      ctx.changes.lastTaskId = taskId;
      const task: TaskEntity = {
        tenant: scope.tenant,
        serviceId: ctx.service.serviceId,
        taskId,
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
      ctx.announce((service) => this.taskEvent(EventSubjects.gmsTaskStarted, scope, service, task));
      return task;
    });
    return row.taskId;
  }

  /** Spec §4.21. */
  async end(scope: ServiceScope, taskId: number, input: EndEventInput, now: number): Promise<void> {
    await this.writer.write(scope, now, async (ctx) => {
      const task = await this.existing(ctx, taskId);
      if (task.completed !== null) throw alreadyCompleted('Task', taskId);
      const changes: Partial<TaskEntity> = {
        completed: JSON.stringify(input.completed.fields),
        completedAt: input.completed.timestampMs,
        disposition: input.disposition === undefined ? null : JSON.stringify(input.disposition),
        dispositionDesc: input.dispositionDesc ?? null,
      };
      if (Object.keys(input.extensions).length > 0)
        changes.extensions = mergeExtensions(task.extensions, input.extensions);
      await this.repository.update(ctx.manager, task, changes);
      const completed = { ...task, ...changes };
      ctx.announce((service) => this.taskEvent(EventSubjects.gmsTaskCompleted, scope, service, completed));
    });
  }

  /** Spec §4.24. */
  async putExtension(
    scope: ServiceScope,
    taskId: number,
    name: string,
    value: unknown,
    now: number,
  ): Promise<void> {
    const checked = checkExtensionUpdate(name, value, TASK_RESERVED);
    await this.writer.write(scope, now, async (ctx) => {
      const task = await this.existing(ctx, taskId);
      const extensions = mergeExtensions(task.extensions, { [name]: checked });
      await this.repository.update(ctx.manager, task, { extensions });
      const updated = { ...task, extensions };
      ctx.announce((service) =>
        this.taskEvent(EventSubjects.gmsTaskExtensionUpdated, scope, service, updated, name),
      );
    });
  }

  /** Spec §4.23. */
  async get(
    scope: ServiceScope,
    taskId: number,
    selector: ExtensionSelector,
  ): Promise<Record<string, unknown>> {
    const service = await this.services.requireVisible(scope);
    const row = await this.repository.findById(scope.tenant, scope.serviceId, taskId);
    if (!row) throw taskNotFound(scope.serviceId, taskId);
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
      taskTypes: query.taskTypes,
      stateIds: query.stateIds,
    });
    const owner = ownerOf(service);
    return rows.map((row) => toTaskView(row, owner, query.selector));
  }

  private async existing(ctx: WriteContext, taskId: number): Promise<TaskEntity> {
    const task = await this.repository.findById(
      ctx.service.tenant,
      ctx.service.serviceId,
      taskId,
      ctx.manager,
    );
    if (!task) throw taskNotFound(ctx.service.serviceId, taskId);
    return task;
  }

  private taskEvent(
    subject: string,
    scope: ServiceScope,
    service: ServiceEntity,
    row: TaskEntity,
    extension?: string,
  ): OutboxEntry {
    return this.events.event(
      subject,
      scope.tenant,
      service.serviceId,
      toTaskView(row, ownerOf(service), 'all'),
      { group: scope.group, extension },
    );
  }
}
