import { addOwner, addSelectedExtensions, type Owner } from '../children/child-view';
import type { ExtensionSelector } from '../events/extensions';
import { addLifecycleFields } from '../events/lifecycle-view';
import type { TaskEntity } from './task.entity';

/** The Task representation of spec §3.11; nested form (owner null) omits service_id and customer_id. */
export function toTaskView(
  row: TaskEntity,
  owner: Owner | null,
  extensions: ExtensionSelector | 'all',
): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  addOwner(view, owner);
  view.task_id = Number(row.taskId);
  if (row.stateId !== null) view.state_id = Number(row.stateId);
  if (row.taskType !== null) view.task_type = JSON.parse(row.taskType);
  addLifecycleFields(view, row);
  addSelectedExtensions(view, 'Task', row.extensions, extensions, owner !== null);
  return view;
}
