import { ALWAYS_RESERVED } from '../../events/event-fields';

/** Fields of the State resource and its events (spec §3.4, §3.5, §3.8, §3.10): never extensions. */
export const STATE_RESERVED: ReadonlySet<string> = new Set([
  ...ALWAYS_RESERVED,
  'state_type',
  'est_duration',
  'previous_state_id',
  'disposition',
  'disposition_desc',
  'from',
  'to',
]);
