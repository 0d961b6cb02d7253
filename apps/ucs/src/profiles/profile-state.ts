import type { ProfileView } from '@cs/contracts';
import type { RecordsByExtension } from '../extensions/extension-records.repository';
import { toRecordView, type StoredRecord } from '../extensions/extension-record';
import type { ExtensionSchema } from '../schema/extension-schema';
import type { ProfileSchema } from '../schema/profile-schema';
import type { CoreValues } from './dto/profile-body';
import { toProfileView } from './profile-view';

/** Everything a customer holds: core values and extension records by lower-case extension name. */
export interface ProfileState {
  core: CoreValues;
  records: RecordsByExtension;
}

/**
 * A profile on the wire (spec §4.3, A-36): core attributes, then each requested extension — a
 * single-valued one as an object (omitted without a record), a multi-valued one as an array.
 */
export function toProfileWithExtensions(
  customerId: string,
  state: ProfileState,
  schema: ProfileSchema,
  extensions: readonly ExtensionSchema[],
  includeCore = true,
): ProfileView {
  const view: Record<string, unknown> = includeCore
    ? { ...toProfileView(customerId, state.core, schema) }
    : { customer_id: customerId };
  for (const extension of extensions) {
    const records: StoredRecord[] = state.records.get(extension.name.toLowerCase()) ?? [];
    if (extension.multiValued) view[extension.name] = records.map((r) => toRecordView(extension, r));
    else if (records.length > 0) view[extension.name] = toRecordView(extension, records[0]);
  }
  return view as ProfileView;
}
