import { ApiError } from '@cs/platform/core';
import { createHash } from 'node:crypto';
import { toOutputValue, toStoredValue, ValueError, type StoredValue } from '../schema/attribute-types';
import type { ExtensionAttribute, ExtensionSchema } from '../schema/extension-schema';

/** A record as stored: attribute values in canonical form, keyed by schema name. */
export type StoredRecord = Record<string, StoredValue>;

export const unknownRecordAttribute = (extension: string, name: string): ApiError =>
  new ApiError(
    400,
    'UNKNOWN_ATTRIBUTE',
    `'${name.slice(0, 64)}' is not an attribute of extension '${extension}'`,
  );

export const duplicateUniqueValues = (extension: string): ApiError =>
  new ApiError(
    409,
    'UNIQUE_CONSTRAINT_VIOLATION',
    `Two records of extension '${extension}' would have the same unique attribute values`,
  );

/** Converts one value; a mismatch is 400 INVALID_ATTRIBUTE_VALUE (spec §2.4). */
export function convertAttribute(
  extension: string,
  attribute: ExtensionAttribute,
  value: unknown,
): StoredValue {
  try {
    return toStoredValue(attribute.type, value, attribute.type === 'string' ? attribute.length : undefined);
  } catch (error) {
    if (!(error instanceof ValueError)) throw error;
    throw new ApiError(
      400,
      'INVALID_ATTRIBUTE_VALUE',
      `Invalid value for '${extension}.${attribute.name}': ${error.message}`,
    );
  }
}

/**
 * Validates a new record (spec §3.3): known attributes only, mandatory (and unique) attributes
 * present, defaults applied, values converted to their types.
 */
export function parseRecord(schema: ExtensionSchema, raw: unknown): StoredRecord {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ApiError(
      400,
      'INVALID_ATTRIBUTE_VALUE',
      `A record of extension '${schema.name}' must be a JSON object`,
    );
  const given = new Map<ExtensionAttribute, unknown>();
  const named = new Set<ExtensionAttribute>();
  for (const [name, value] of Object.entries(raw)) {
    const attribute = schema.find(name);
    if (!attribute) throw unknownRecordAttribute(schema.name, name);
    // Names are case-insensitive (§2.6): `tier` and `TIER` in one record would be ambiguous.
    if (named.has(attribute))
      throw new ApiError(
        400,
        'INVALID_PARAMETER',
        `Attribute '${schema.name}.${attribute.name}' is given twice in one record`,
      );
    named.add(attribute);
    if (value !== null && value !== undefined) given.set(attribute, value);
  }
  const unique = new Set(schema.definition.unique);
  for (const attribute of schema.attributes) {
    if ((attribute.mandatory || unique.has(attribute.name)) && !given.has(attribute))
      throw new ApiError(
        400,
        'MISSING_MANDATORY_ATTRIBUTE',
        `Record of extension '${schema.name}' lacks mandatory attribute '${attribute.name}'`,
      );
  }
  const record: StoredRecord = {};
  for (const attribute of schema.attributes) {
    if (given.has(attribute))
      record[attribute.name] = convertAttribute(schema.name, attribute, given.get(attribute));
    else if (attribute.default !== undefined) record[attribute.name] = attribute.default;
  }
  return record;
}

/**
 * The value of `unique_hash` (one unique index enforces both rules): a constant for a single-valued
 * extension (one record per customer), the hash of the unique attributes for a multi-valued one with a
 * `unique` list, null otherwise (no constraint).
 */
export function uniqueHashOf(schema: ExtensionSchema, record: StoredRecord): string | null {
  if (!schema.multiValued) return 'single';
  if (schema.definition.unique.length === 0) return null;
  const values = schema.definition.unique.map((name) => record[name] ?? null);
  return createHash('sha256').update(JSON.stringify(values)).digest('hex');
}

/** Throws 409 when two records of one multi-valued extension share their unique values. */
export function checkDistinctUniques(schema: ExtensionSchema, records: readonly StoredRecord[]): void {
  if (!schema.multiValued || schema.definition.unique.length === 0) return;
  const seen = new Set<string>();
  for (const record of records) {
    const hash = uniqueHashOf(schema, record) as string;
    if (seen.has(hash)) throw duplicateUniqueValues(schema.name);
    seen.add(hash);
  }
}

/** A nested record on the wire: schema order and casing, no `customer_id`/`name` (spec §3.3, A-41). */
export function toRecordView(schema: ExtensionSchema, record: StoredRecord): Record<string, StoredValue> {
  const view: Record<string, StoredValue> = {};
  for (const attribute of schema.attributes) {
    const value = record[attribute.name];
    if (value !== undefined && value !== null) view[attribute.name] = toOutputValue(attribute.type, value);
  }
  return view;
}

/**
 * An extension's value in a P5 body (spec §4.5): an object for a single-valued extension, an array of
 * records for a multi-valued one. `null` is neither: P5 only adds records, it never removes one.
 */
export function parseExtensionValue(schema: ExtensionSchema, raw: unknown): StoredRecord[] {
  if (raw === null)
    throw new ApiError(
      400,
      'INVALID_ATTRIBUTE_VALUE',
      `Extension '${schema.name}': null is not a record${schema.multiValued ? ' list' : ''}`,
    );
  return parseRecords(schema, raw);
}

/**
 * An extension's value in a profile body (P1, P4; spec §3.1, §4.4): as in P5, and `null` means
 * "no record" (P4 removes a single-valued record that way).
 */
export function parseExtensionReplacement(schema: ExtensionSchema, raw: unknown): StoredRecord[] {
  return raw === null ? [] : parseRecords(schema, raw);
}

function parseRecords(schema: ExtensionSchema, raw: unknown): StoredRecord[] {
  if (schema.multiValued) {
    if (!Array.isArray(raw))
      throw new ApiError(
        400,
        'INVALID_ATTRIBUTE_VALUE',
        `Extension '${schema.name}' is multi-valued: its value must be an array of records`,
      );
    const records = raw.map((r) => parseRecord(schema, r));
    checkDistinctUniques(schema, records);
    return records;
  }
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new ApiError(
      400,
      'INVALID_ATTRIBUTE_VALUE',
      `Extension '${schema.name}' is single-valued: its value must be one record object`,
    );
  return [parseRecord(schema, raw)];
}
