import { optionalObjectBody } from '../../events/body';
import { EventRecord, readEventFields } from '../../events/event-fields';
import { Extensions, readExtensions } from '../../events/extensions';
import { BusinessAttributeValue, FieldReader } from '../../events/field-reader';
import { STATE_RESERVED } from './state-fields';

export interface StartStateInput {
  stateType?: BusinessAttributeValue;
  estDuration?: number;
  previousStateId?: number;
  started: EventRecord;
  extensions: Extensions;
}

/** Validates a Start State body (spec §3.4, §4.14); no body means `{}`. */
export function parseStartState(body: unknown, receivedAt: number): StartStateInput {
  const object = optionalObjectBody(body);
  const reader = new FieldReader(object);
  return {
    stateType: reader.businessAttribute('state_type'),
    estDuration: reader.integer('est_duration', 0, Number.MAX_SAFE_INTEGER),
    previousStateId: reader.int32('previous_state_id', 1),
    started: readEventFields(reader, receivedAt),
    extensions: readExtensions(object, STATE_RESERVED),
  };
}
