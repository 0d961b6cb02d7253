import type { ServiceView } from '@cs/contracts';
import type { ServiceEntity } from '../services/service.entity';
import { toServiceView } from '../services/service-view';
import type { StateEntity } from '../states/state.entity';
import { toStateView, type Owner } from '../states/state-view';
import type { TaskEntity } from '../tasks/task.entity';
import { toTaskView } from '../tasks/task-view';

/** A state in nested form (spec §2.8: no service_id/customer_id) with every extension. */
export const nestedState = (row: StateEntity) => toStateView(row, { owner: null, extensions: 'all' });

/** A task in nested form with every extension. */
export const nestedTask = (row: TaskEntity) => toTaskView(row, null, 'all');

/** A state or task in top-level form (its service_id and customer_id first) with every extension. */
export const topLevelState = (owner: Owner, row: StateEntity) =>
  toStateView(row, { owner, extensions: 'all' });
export const topLevelTask = (owner: Owner, row: TaskEntity) => toTaskView(row, owner, 'all');

/**
 * A service with every extension and all four nesting arrays, as if queried with every nesting flag
 * and `extensions=*` (spec §4.26 `export_content=true`).
 */
export function fullServiceView(
  service: ServiceEntity,
  states: StateEntity[],
  tasks: TaskEntity[],
): ServiceView {
  const done = (row: StateEntity | TaskEntity) => row.completed !== null;
  return toServiceView(service, {
    extensions: 'all',
    nesting: {
      active_states: states.filter((s) => !done(s)).map(nestedState),
      completed_states: states.filter(done).map(nestedState),
      active_tasks: tasks.filter((t) => !done(t)).map(nestedTask),
      completed_tasks: tasks.filter(done).map(nestedTask),
    },
  });
}

/** Groups rows by their service id, keeping their order. */
export function byService<T extends { serviceId: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const list = groups.get(row.serviceId);
    if (list) list.push(row);
    else groups.set(row.serviceId, [row]);
  }
  return groups;
}
