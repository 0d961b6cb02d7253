import { ApiError, formatDateTime, parseDateTime } from '@cs/platform/core';
import type { CoreAttribute, ProfileSchema } from '../../schema/profile-schema';
import { invalidAttributeValue, unknownAttribute } from '../errors';

/** Core attribute values keyed by schema name; the first value is the primary one. */
export type CoreValues = Record<string, string[]>;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Validates a profile body (spec §4.1): a JSON object of core attributes, each a scalar or an array
 * (first = primary); `customer_id` is ignored; at least one attribute must carry a value.
 */
export function parseProfileBody(body: unknown, schema: ProfileSchema): CoreValues {
  if (schema.attributes.length === 0) {
    throw new ApiError(
      403,
      'PROFILE_SCHEMA_UNDEFINED',
      'No profile attribute is defined; profiles cannot be written',
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'MALFORMED_JSON', 'Invalid JSON body: expected a JSON object');
  }
  // Evaluation order of spec §4.1: no core value at all, then unknown keys, then value checks.
  const known: [CoreAttribute, unknown[]][] = [];
  let unknown: string | undefined;
  for (const [key, raw] of Object.entries(body)) {
    if (key === 'customer_id') continue;
    const attribute = schema.find(key);
    if (!attribute) {
      unknown ??= key;
      continue;
    }
    const list = raw === null ? [] : Array.isArray(raw) ? raw : [raw];
    if (list.length > 0) known.push([attribute, list]);
  }
  if (known.length === 0)
    throw new ApiError(400, 'MISSING_PARAMETER', 'A profile needs at least one attribute with a value');
  if (unknown !== undefined) throw unknownAttribute(unknown);
  const values = known.map(([attribute, list]): [string, string[]] => [
    attribute.name,
    list.map((v) => convert(attribute, v)),
  ]);
  return Object.fromEntries(values);
}

function convert(attribute: CoreAttribute, value: unknown): string {
  if (typeof value !== 'string')
    throw invalidAttributeValue(attribute.name, `expected a ${attribute.type} string`);
  if (attribute.type === 'date') {
    const m = DATE.exec(value);
    const ok = m && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).toISOString().startsWith(value);
    if (!ok) throw invalidAttributeValue(attribute.name, 'expected a date YYYY-MM-DD');
    return value;
  }
  if (attribute.type === 'datetime') {
    const epoch = parseDateTime(value);
    if (epoch === undefined)
      throw invalidAttributeValue(attribute.name, 'expected a date-time such as 1981-03-17T02:00:00.000Z');
    return formatDateTime(epoch);
  }
  return value;
}
