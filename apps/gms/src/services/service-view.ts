import type { ServiceView } from '@cs/contracts';
import { Extensions, ExtensionSelector } from '../events/extensions';
import { addExtensions, addLifecycleFields } from '../events/lifecycle-view';
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
  addLifecycleFields(view, row);
  Object.assign(view, options.nesting ?? {});
  const extensions = JSON.parse(row.extensions) as Extensions;
  addExtensions(
    view,
    options.extensions === 'all' ? extensions : options.extensions.pick('Service', extensions, true),
  );
  return view as ServiceView;
}
