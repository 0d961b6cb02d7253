import type { Extensions, ExtensionSelector } from '../events/extensions';
import { addExtensions, addLifecycleFields } from '../events/lifecycle-view';
import type { Owner } from '../states/state-view';
import type { TaskEntity } from './task.entity';

/** The Task representation of spec §3.11; nested form (owner null) omits service_id and customer_id. */
export function toTaskView(
  row: TaskEntity,
  owner: Owner | null,
  extensions: ExtensionSelector | 'all',
): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  if (owner) {
    view.service_id = owner.serviceId;
    if (owner.customerId !== null) view.customer_id = owner.customerId;
  }
  view.task_id = Number(row.taskId);
  if (row.stateId !== null) view.state_id = Number(row.stateId);
  if (row.taskType !== null) view.task_type = JSON.parse(row.taskType);
  addLifecycleFields(view, row);
  const all = JSON.parse(row.extensions) as Extensions;
  addExtensions(view, extensions === 'all' ? all : extensions.pick('Task', all, owner !== null));
  return view;
}
