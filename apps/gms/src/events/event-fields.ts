import { formatDateTime } from '@cs/platform/core';
import { FieldReader } from './field-reader';

/** The common fields of every start and end event (spec §3.1), in output order. */
export const COMMON_EVENT_FIELDS = [
  'session_id',
  'interaction_id',
  'application_type',
  'application_id',
  'resource_type',
  'resource_id',
  'media_type',
  'timestamp',
] as const;

/** Names never treated as extensions, whatever the resource (spec §2.7). */
export const ALWAYS_RESERVED = [
  'service_id',
  'state_id',
  'task_id',
  'customer_id',
  'contact_key',
  'started',
  'completed',
  'duration',
  'active_states',
  'completed_states',
  'active_tasks',
  'completed_tasks',
  'ttl',
  'expiration_time',
  'auto_complete_after',
  ...COMMON_EVENT_FIELDS,
];

export interface EventRecord {
  /** The event as returned inside `started` / `completed`. */
  fields: Record<string, unknown>;
  timestampMs: number;
}

/** Reads the common event fields; `timestamp` defaults to the time the request was received. */
export function readEventFields(reader: FieldReader, receivedAt: number): EventRecord {
  const timestampMs = reader.dateTime('timestamp') ?? receivedAt;
  const values: Record<string, unknown> = {
    session_id: reader.string('session_id', 32),
    interaction_id: reader.string('interaction_id', 50),
    application_type: reader.businessAttribute('application_type'),
    application_id: reader.int32('application_id'),
    resource_type: reader.businessAttribute('resource_type'),
    resource_id: reader.int32('resource_id'),
    media_type: reader.businessAttribute('media_type'),
    timestamp: formatDateTime(timestampMs),
  };
  const fields = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  return { fields, timestampMs };
}
