import type { ServiceView } from '@cs/contracts';
import { Extensions, ExtensionSelector } from '../events/extensions';
import type { ServiceEntity } from './service.entity';

export interface ViewOptions {
  extensions: ExtensionSelector | 'all';
  nesting?: Partial<
    Record<'active_states' | 'completed_states' | 'active_tasks' | 'completed_tasks', unknown[]>
  >;
}

/** The Service representation of spec §3.9, top-level form; absent values are omitted, never null. */
export function toServiceView(row: Omit<ServiceEntity, 'seq'>, options: ViewOptions): ServiceView {
  const view: Record<string, unknown> = { service_id: row.serviceId };
  if (row.serviceType !== null) view.service_type = JSON.parse(row.serviceType);
  if (row.customerId !== null) view.customer_id = row.customerId;
  if (row.contactKey !== null) view.contact_key = row.contactKey;
  if (row.estDuration !== null) view.est_duration = Number(row.estDuration);
  view.started = JSON.parse(row.started);
  if (row.completed !== null) {
    view.completed = JSON.parse(row.completed);
    if (row.completedAt !== null) view.duration = Number(row.completedAt) - Number(row.startedAt);
    if (row.disposition !== null) view.disposition = JSON.parse(row.disposition);
    if (row.dispositionDesc !== null) view.disposition_desc = row.dispositionDesc;
  }
  Object.assign(view, options.nesting ?? {});
  const extensions = JSON.parse(row.extensions) as Extensions;
  const selected =
    options.extensions === 'all' ? extensions : options.extensions.pick('Service', extensions, true);
  // Extensions never shadow a standard field of the representation.
  for (const [name, value] of Object.entries(selected)) {
    if (Object.prototype.hasOwnProperty.call(view, name)) continue;
    Object.defineProperty(view, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return view as ServiceView;
}
