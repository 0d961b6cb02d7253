import { ApiError, formatDateTime, parseDateTime } from '@cs/platform/core';
import type { CoreAttribute, ProfileSchema } from '../../schema/profile-schema';
import { parseExtensionReplacement, type StoredRecord } from '../../extensions/extension-record';
import type { ExtensionSchema } from '../../schema/extension-schema';
import { isCalendarDate } from '../../schema/attribute-types';
import { invalidAttributeValue, unknownAttribute } from '../errors';

/** Core attribute values keyed by schema name; the first value is the primary one. */
export type CoreValues = Record<string, string[]>;

/** Records given for each extension named in a body (an empty list: "no record"). */
export type ExtensionValues = Map<ExtensionSchema, StoredRecord[]>;

export interface ProfileDocument {
  core: CoreValues;
  extensions: ExtensionValues;
}

/** Validates a core-only profile body (no extension is defined). */
export function parseProfileBody(body: unknown, schema: ProfileSchema): CoreValues {
  return parseProfileDocument(body, schema, () => undefined).core;
}

/**
 * Validates a profile body (spec §4.1, §4.4): a JSON object of core attributes, each a scalar or an
 * array (first = primary), and extensions keyed by name; `customer_id` is skipped here; at least one
 * core attribute must carry a value. Names are matched case-insensitively (spec §2.6).
 */
export function parseProfileDocument(
  body: unknown,
  schema: ProfileSchema,
  findExtension: (name: string) => ExtensionSchema | undefined,
): ProfileDocument {
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
  const extensions: [ExtensionSchema, unknown][] = [];
  const seen = new Set<CoreAttribute>();
  let unknown: string | undefined;
  for (const [key, raw] of Object.entries(body)) {
    if (key === 'customer_id') continue;
    const attribute = schema.find(key);
    if (!attribute) {
      const extension = findExtension(key);
      if (extension) extensions.push([extension, raw]);
      else unknown ??= key;
      continue;
    }
    if (seen.has(attribute))
      throw new ApiError(400, 'INVALID_PARAMETER', `Attribute '${attribute.name}' is given twice`);
    seen.add(attribute);
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
  const records: ExtensionValues = new Map();
  for (const [extension, raw] of extensions) {
    if (records.has(extension))
      throw new ApiError(400, 'INVALID_PARAMETER', `Extension '${extension.name}' is given twice`);
    records.set(extension, parseExtensionReplacement(extension, raw));
  }
  return { core: Object.fromEntries(values), extensions: records };
}

function convert(attribute: CoreAttribute, value: unknown): string {
  if (typeof value !== 'string')
    throw invalidAttributeValue(attribute.name, `expected a ${attribute.type} string`);
  if (attribute.type === 'date') {
    if (!isCalendarDate(value)) throw invalidAttributeValue(attribute.name, 'expected a date YYYY-MM-DD');
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
