import type { Extensions, ExtensionSelector } from '../events/extensions';
import { addExtensions, addLifecycleFields } from '../events/lifecycle-view';
import type { StateEntity } from './state.entity';

/** The owning service's members of a top-level state or task (spec §3.10); absent when nested. */
export interface Owner {
  serviceId: string;
  customerId: string | null;
}

export interface StateViewOptions {
  /** Top-level form when given; nested form (no service_id/customer_id) when null. */
  owner: Owner | null;
  extensions: ExtensionSelector | 'all';
  nesting?: Partial<Record<'active_tasks' | 'completed_tasks', unknown[]>>;
}

/** The State representation of spec §3.10; absent values are omitted. */
export function toStateView(row: StateEntity, options: StateViewOptions): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  if (options.owner) {
    view.service_id = options.owner.serviceId;
    if (options.owner.customerId !== null) view.customer_id = options.owner.customerId;
  }
  view.state_id = Number(row.stateId);
  if (row.stateType !== null) view.state_type = JSON.parse(row.stateType);
  addLifecycleFields(view, row);
  Object.assign(view, options.nesting ?? {});
  const extensions = JSON.parse(row.extensions) as Extensions;
  addExtensions(
    view,
    options.extensions === 'all'
      ? extensions
      : options.extensions.pick('State', extensions, options.owner !== null),
  );
  return view;
}
