import { ALWAYS_RESERVED } from '../../events/event-fields';

/** Fields of the Service resource and its events (spec §3.2, §3.3, §3.9): never extensions. */
export const SERVICE_RESERVED: ReadonlySet<string> = new Set([
  ...ALWAYS_RESERVED,
  'service_type',
  'est_duration',
  'disposition',
  'disposition_desc',
]);
