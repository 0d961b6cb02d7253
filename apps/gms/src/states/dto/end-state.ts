import { optionalObjectBody } from '../../events/body';
import { EndEventInput, readEndEvent } from '../../events/end-event';
import { FieldReader } from '../../events/field-reader';
import { STATE_RESERVED } from './state-fields';

/** Validates a Complete State body (spec §3.5, §4.15); `ttl`/`expiration_time` are ignored. */
export function parseEndState(body: unknown, receivedAt: number): EndEventInput {
  const object = optionalObjectBody(body);
  return readEndEvent(object, new FieldReader(object), receivedAt, STATE_RESERVED);
}
