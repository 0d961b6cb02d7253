import { optionalObjectBody } from '../../events/body';
import { EndEventInput, readEndEvent } from '../../events/end-event';
import { FieldReader } from '../../events/field-reader';
import { readExplicitExpiration } from './expiration';
import { SERVICE_RESERVED } from './service-fields';

export interface EndServiceInput extends EndEventInput {
  explicitExpiresAt?: number;
}

/** Validates a Complete Service body (spec §3.3, §4.3); no body means `{}`. */
export function parseEndService(body: unknown, receivedAt: number): EndServiceInput {
  const object = optionalObjectBody(body);
  const reader = new FieldReader(object);
  const event = readEndEvent(object, reader, receivedAt, SERVICE_RESERVED);
  return { ...event, explicitExpiresAt: readExplicitExpiration(reader, receivedAt) };
}
