import { Injectable } from '@nestjs/common';
import type { ExtensionSelector } from '../events/extensions';
import type { StatusFilter } from '../events/list-params';
import { toStateView } from '../states/state-view';
import { StatesRepository } from '../states/states.repository';
import { toTaskView } from '../tasks/task-view';
import { TasksRepository } from '../tasks/tasks.repository';
import type { NestingFlag } from './query-flags';

export type Nested = Partial<Record<NestingFlag, unknown[]>>;

/** Which rows one query must load for a pair of active/completed flags. */
function statusFor(active: boolean, completed: boolean): StatusFilter | null {
  if (active && completed) return 'all';
  if (active) return 'active';
  return completed ? 'completed' : null;
}

function group<T extends { serviceId: string }>(rows: T[]): Map<string, T[]> {
  const byService = new Map<string, T[]>();
  for (const row of rows) {
    const list = byService.get(row.serviceId);
    if (list) list.push(row);
    else byService.set(row.serviceId, [row]);
  }
  return byService;
}

/**
 * The `active_states` / `completed_states` / `active_tasks` / `completed_tasks` members of services
 * (spec §2.8): one query per nested kind for the whole list, grouped in memory.
 */
@Injectable()
export class NestingLoader {
  constructor(
    private readonly states: StatesRepository,
    private readonly tasks: TasksRepository,
  ) {}

  async forServices(
    tenant: string,
    serviceIds: string[],
    flags: Record<NestingFlag, boolean>,
    selector: ExtensionSelector,
  ): Promise<Map<string, Nested>> {
    const result = new Map<string, Nested>(serviceIds.map((id) => [id, {}]));
    if (serviceIds.length === 0) return result;
    const stateStatus = statusFor(flags.active_states, flags.completed_states);
    const taskStatus = statusFor(flags.active_tasks, flags.completed_tasks);
    const [states, tasks] = await Promise.all([
      stateStatus ? this.states.listForServices(tenant, serviceIds, stateStatus) : [],
      taskStatus ? this.tasks.listForServices(tenant, serviceIds, taskStatus) : [],
    ]);
    const statesBy = group(states);
    const tasksBy = group(tasks);
    for (const [serviceId, nested] of result) {
      const own = statesBy.get(serviceId) ?? [];
      const view = (row: (typeof own)[number]) => toStateView(row, { owner: null, extensions: selector });
      if (flags.active_states) nested.active_states = own.filter((s) => s.completedAt === null).map(view);
      if (flags.completed_states)
        nested.completed_states = own.filter((s) => s.completedAt !== null).map(view);
      const ownTasks = tasksBy.get(serviceId) ?? [];
      const taskView = (row: (typeof ownTasks)[number]) => toTaskView(row, null, selector);
      if (flags.active_tasks)
        nested.active_tasks = ownTasks.filter((t) => t.completedAt === null).map(taskView);
      if (flags.completed_tasks)
        nested.completed_tasks = ownTasks.filter((t) => t.completedAt !== null).map(taskView);
    }
    return result;
  }
}
