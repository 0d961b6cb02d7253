import { ALWAYS_RESERVED } from '../../events/event-fields';

/** Fields of the Task resource and its events (spec §3.6, §3.7, §3.11): never extensions. */
export const TASK_RESERVED: ReadonlySet<string> = new Set([
  ...ALWAYS_RESERVED,
  'task_type',
  'est_duration',
  'disposition',
  'disposition_desc',
]);
