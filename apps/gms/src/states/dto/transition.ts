import { requireObjectBody } from '../../events/body';
import { missingField } from '../../events/errors';
import { EventRecord, readEventFields } from '../../events/event-fields';
import { Extensions, readExtensions } from '../../events/extensions';
import { BusinessAttributeValue, FieldReader, invalidValue } from '../../events/field-reader';
import { STATE_RESERVED } from './state-fields';

export interface TransitionInput {
  fromStateId: number;
  disposition?: BusinessAttributeValue;
  dispositionDesc?: string;
  stateType?: BusinessAttributeValue;
  estDuration?: number;
  /** Shared by the old state's `completed` and the new state's `started` (one timestamp). */
  event: EventRecord;
  /** Extensions of the new state. */
  extensions: Extensions;
}

/** `from` / `to` as a reader whose field names carry the prefix, so messages name `from.state_id`. */
function member(body: Record<string, unknown>, name: 'from' | 'to'): FieldReader {
  const value = body[name];
  if (value === undefined || value === null) throw missingField(name);
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidValue(name, 'must be a JSON object');
  return new FieldReader(
    Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [`${name}.${k}`, v])),
  );
}

/** Validates a State Transition Event (spec §3.8, §4.16 step 1). */
export function parseTransition(body: unknown, receivedAt: number): TransitionInput {
  const object = requireObjectBody(body);
  const from = member(object, 'from');
  const to = member(object, 'to');
  const fromStateId = from.int32('from.state_id', 1);
  if (fromStateId === undefined) throw missingField('from.state_id');
  return {
    fromStateId,
    disposition: from.businessAttribute('from.disposition'),
    dispositionDesc: from.string('from.disposition_desc', 64),
    stateType: to.businessAttribute('to.state_type'),
    estDuration: to.integer('to.est_duration', 0, Number.MAX_SAFE_INTEGER),
    event: readEventFields(new FieldReader(object), receivedAt),
    extensions: readExtensions(object, STATE_RESERVED),
  };
}
