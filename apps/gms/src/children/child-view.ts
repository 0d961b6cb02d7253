import type { Extensions, ExtensionSelector } from '../events/extensions';
import { addExtensions } from '../events/lifecycle-view';
import type { ServiceEntity } from '../services/service.entity';

/** The owning service's members of a top-level state or task (spec §3.10); absent when nested. */
export interface Owner {
  serviceId: string;
  customerId: string | null;
}

export const ownerOf = (service: ServiceEntity): Owner => ({
  serviceId: service.serviceId,
  customerId: service.customerId,
});

/** `service_id` and, when known, `customer_id`: only in the top-level form (owner not null). */
export function addOwner(view: Record<string, unknown>, owner: Owner | null): void {
  if (!owner) return;
  view.service_id = owner.serviceId;
  if (owner.customerId !== null) view.customer_id = owner.customerId;
}

/** The row's extensions that `selector` keeps for this kind (all of them for events). */
export function addSelectedExtensions(
  view: Record<string, unknown>,
  kind: 'State' | 'Task',
  json: string,
  selector: ExtensionSelector | 'all',
  topLevel: boolean,
): void {
  const extensions = JSON.parse(json) as Extensions;
  addExtensions(view, selector === 'all' ? extensions : selector.pick(kind, extensions, topLevel));
}
