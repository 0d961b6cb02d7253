import type { ProfileView } from '@cs/contracts';
import type { ProfileSchema } from '../schema/profile-schema';
import type { CoreValues } from './dto/profile-body';

/** Spec §3.1 output rules: one value → scalar, several → array (primary first), none → omitted. */
export function toProfileView(customerId: string, values: CoreValues, schema: ProfileSchema): ProfileView {
  const view: Record<string, unknown> = { customer_id: customerId };
  for (const attribute of schema.attributes) {
    const list = values[attribute.name];
    if (!list || list.length === 0) continue;
    view[attribute.name] = list.length === 1 ? list[0] : list;
  }
  return view as ProfileView;
}
