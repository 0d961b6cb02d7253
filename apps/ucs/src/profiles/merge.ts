import { ApiError } from '@cs/platform/core';
import { uniqueHashOf, type StoredRecord } from '../extensions/extension-record';
import type { ExtensionSchema } from '../schema/extension-schema';
import type { CoreValues } from './dto/profile-body';
import type { ProfileState } from './profile-state';

export interface MergeOptions {
  keepUniqFromSrc: boolean;
  keepActiveServiceOnly: boolean;
}

const FLAGS = ['keep_uniq_from_src', 'keep_active_service_only', 'force_merge'] as const;
const TEXTS = ['agent_id', 'reason', 'description'] as const;

/** The optional P8 body (spec §4.8); `force_merge:true` acts as `keep_uniq_from_src:true`. */
export function parseMergeBody(body: unknown): MergeOptions {
  // No body at all means defaults; a JSON `null` is a body, and not an object (spec §4.8).
  if (body === undefined || (typeof body === 'string' && body === '')) {
    return { keepUniqFromSrc: false, keepActiveServiceOnly: false };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiError(400, 'INVALID_PARAMETER', 'The merge body must be a JSON object');
  const input = body as Record<string, unknown>;
  for (const flag of FLAGS) {
    if (input[flag] !== undefined && typeof input[flag] !== 'boolean')
      throw new ApiError(400, 'INVALID_PARAMETER', `'${flag}' must be true or false`);
  }
  for (const text of TEXTS) {
    if (input[text] !== undefined && input[text] !== null && typeof input[text] !== 'string')
      throw new ApiError(400, 'INVALID_PARAMETER', `'${text}' must be a string`);
  }
  return {
    keepUniqFromSrc: input.keep_uniq_from_src === true || input.force_merge === true,
    keepActiveServiceOnly: input.keep_active_service_only === true,
  };
}

/** Spec §4.8 rules 1–3: the destination's state after absorbing the source. */
export function mergeStates(
  destination: ProfileState,
  source: ProfileState,
  extensions: readonly ExtensionSchema[],
  keepUniqFromSrc: boolean,
): ProfileState {
  const core: CoreValues = {};
  for (const name of new Set([...Object.keys(destination.core), ...Object.keys(source.core)])) {
    const values = [...(destination.core[name] ?? [])];
    for (const value of source.core[name] ?? []) if (!values.includes(value)) values.push(value);
    if (values.length > 0) core[name] = values;
  }
  const records = new Map(destination.records);
  for (const extension of extensions) {
    const lc = extension.name.toLowerCase();
    const mine = destination.records.get(lc) ?? [];
    const theirs = source.records.get(lc) ?? [];
    if (theirs.length === 0) continue;
    records.set(lc, mergeRecords(extension, mine, theirs, keepUniqFromSrc));
  }
  return { core, records };
}

function mergeRecords(
  extension: ExtensionSchema,
  mine: StoredRecord[],
  theirs: StoredRecord[],
  keepUniqFromSrc: boolean,
): StoredRecord[] {
  if (!extension.multiValued) return mine.length === 0 || keepUniqFromSrc ? theirs.slice(0, 1) : mine;
  if (extension.definition.unique.length === 0) return [...mine, ...theirs];
  const merged = [...mine];
  for (const record of theirs) {
    const hash = uniqueHashOf(extension, record);
    const at = merged.findIndex((r) => uniqueHashOf(extension, r) === hash);
    if (at === -1) merged.push(record);
    else if (keepUniqFromSrc) merged[at] = record;
  }
  return merged;
}
