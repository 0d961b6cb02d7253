import { addOwner, addSelectedExtensions, type Owner } from '../children/child-view';
import type { ExtensionSelector } from '../events/extensions';
import { addLifecycleFields } from '../events/lifecycle-view';
import type { StateEntity } from './state.entity';

export type { Owner } from '../children/child-view';

export interface StateViewOptions {
  /** Top-level form when given; nested form (no service_id/customer_id) when null. */
  owner: Owner | null;
  extensions: ExtensionSelector | 'all';
  nesting?: Partial<Record<'active_tasks' | 'completed_tasks', unknown[]>>;
}

/** The State representation of spec §3.10; absent values are omitted. */
export function toStateView(row: StateEntity, options: StateViewOptions): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  addOwner(view, options.owner);
  view.state_id = Number(row.stateId);
  if (row.stateType !== null) view.state_type = JSON.parse(row.stateType);
  addLifecycleFields(view, row);
  Object.assign(view, options.nesting ?? {});
  addSelectedExtensions(view, 'State', row.extensions, options.extensions, options.owner !== null);
  return view;
}
