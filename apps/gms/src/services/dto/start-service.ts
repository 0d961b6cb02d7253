import { ApiError } from '@cs/platform/core';
import { ALWAYS_RESERVED, EventRecord, readEventFields } from '../../events/event-fields';
import { Extensions, readExtensions } from '../../events/extensions';
import { BusinessAttributeValue, FieldReader } from '../../events/field-reader';
import { readExplicitExpiration } from './expiration';

/** Fields of the Service resource and its start event (spec §3.2, §3.9): never extensions. */
const RESERVED = new Set([
  ...ALWAYS_RESERVED,
  'service_type',
  'est_duration',
  'disposition',
  'disposition_desc',
]);

export interface StartServiceInput {
  customerId?: string;
  contactKey?: string;
  serviceType?: BusinessAttributeValue;
  estDuration?: number;
  started: EventRecord;
  /** Absolute expiration from `ttl` (wins) or `expiration_time`; undefined → from configuration. */
  explicitExpiresAt?: number;
  autoCompleteAfter?: number;
  extensions: Extensions;
}

/** Validates a Start Service body (spec §4.1 step 1) into what the service stores. */
export function parseStartService(body: unknown, receivedAt: number): StartServiceInput {
  const object = requireObject(body);
  const reader = new FieldReader(object);
  const customerId = reader.identifier('customer_id');
  const contactKey = reader.identifier('contact_key');
  if (customerId === undefined && contactKey === undefined) {
    throw new ApiError(400, 'MISSING_FIELD', "Missing mandatory field 'customer_id' or 'contact_key'");
  }
  // Same rule as Complete Service and Update Expiration (spec §1.7): with `ttl`, `expiration_time` is ignored.
  const explicitExpiresAt = readExplicitExpiration(reader, receivedAt);
  return {
    customerId,
    contactKey,
    serviceType: reader.businessAttribute('service_type'),
    estDuration: reader.integer('est_duration', 0, Number.MAX_SAFE_INTEGER),
    started: readEventFields(reader, receivedAt),
    explicitExpiresAt,
    autoCompleteAfter: reader.int32('auto_complete_after', 1),
    extensions: readExtensions(object, RESERVED),
  };
}

export function requireObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'MALFORMED_JSON', 'Invalid JSON body: expected a JSON object');
  }
  return body as Record<string, unknown>;
}
