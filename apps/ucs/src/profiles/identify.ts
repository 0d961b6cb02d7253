import { ApiError } from '@cs/platform/core';
import type { IdentificationKey } from '../identification-keys/identification-key';
import { toStoredValue, ValueError, type StoredValue } from '../schema/attribute-types';
import type { ExtensionSchema } from '../schema/extension-schema';
import type { Catalog } from '../schema/schema-catalog';
import type { ProfileSchema } from '../schema/profile-schema';
import { unknownExtension } from './errors';

const RESERVED = new Set(['id_key', 'include_profile', 'extensions', 'include_extensions']);

export interface IdentifyQuery {
  idKey?: string;
  includeProfile: boolean;
  extensions: string[];
  includeExtensions: 'always' | 'unique';
  /** Criteria by lower-case name (`lastname`, `devices.serial`); the first occurrence wins. */
  criteria: Map<string, string>;
}

/** Parses the identify query string (spec §4.2) in the documented error order, up to the extension names. */
export function parseIdentifyQuery(pairs: Iterable<[string, string]>): IdentifyQuery {
  const reserved = new Map<string, string[]>();
  const criteria = new Map<string, string>();
  for (const [name, value] of pairs) {
    if (RESERVED.has(name)) reserved.set(name, [...(reserved.get(name) ?? []), value]);
    else if (name !== '' && !criteria.has(name.toLowerCase())) criteria.set(name.toLowerCase(), value);
  }
  if (criteria.size === 0)
    throw new ApiError(400, 'MISSING_PARAMETER', 'Identify needs at least one attribute criterion');
  const includeProfile = (reserved.get('include_profile')?.[0] ?? 'no').toLowerCase();
  if (includeProfile !== 'yes' && includeProfile !== 'no')
    throw ApiError.invalidParameter('include_profile', 'expected yes or no');
  const includeExtensions = (reserved.get('include_extensions')?.[0] ?? 'always').toLowerCase();
  if (includeExtensions !== 'always' && includeExtensions !== 'unique')
    throw ApiError.invalidParameter('include_extensions', 'expected always or unique');
  const extensions = (reserved.get('extensions') ?? [])
    .join(',')
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n.length > 0);
  const idKey = reserved.get('id_key')?.[0]?.trim();
  return {
    idKey: idKey === undefined || idKey === '' ? undefined : idKey,
    includeProfile: includeProfile === 'yes',
    extensions,
    includeExtensions,
    criteria,
  };
}

/** The key to use and how many of its leading attributes the criteria give (spec §4.2, Appendix A). */
export interface KeyChoice {
  key: IdentificationKey;
  used: number;
}

export function chooseKey(keys: readonly IdentificationKey[], query: IdentifyQuery): KeyChoice {
  if (query.idKey !== undefined) {
    const key = keys.find((k) => k.name.toLowerCase() === query.idKey?.toLowerCase());
    if (!key)
      throw new ApiError(
        400,
        'UNKNOWN_IDENTIFICATION_KEY',
        `Identification key '${query.idKey.slice(0, 64)}' does not exist`,
      );
    const missing = key.criterionNames.filter((n) => !query.criteria.has(n));
    if (missing.length > 0)
      throw new ApiError(
        400,
        'INCOMPLETE_IDENTIFICATION_KEY',
        `Identification key '${key.name}' also needs ${missing.join(', ')}`,
      );
    return { key, used: key.criterionNames.length };
  }
  let best: KeyChoice | undefined;
  for (const key of keys) {
    const names = key.criterionNames;
    if (names.every((n) => query.criteria.has(n))) return { key, used: names.length };
    let score = 0;
    while (score < names.length && query.criteria.has(names[score])) score++;
    if (score > 0 && (best === undefined || score > best.used)) best = { key, used: score };
  }
  if (!best)
    throw new ApiError(400, 'NO_IDENTIFICATION_KEY', 'No identification key covers the given criteria');
  return best;
}

/** The criteria values of the chosen prefix, converted to their attribute types. */
export function criteriaTuple(
  choice: KeyChoice,
  query: IdentifyQuery,
  core: ProfileSchema,
  catalog: Catalog,
): StoredValue[] {
  const { source, attributes } = choice.key.definition;
  const extension = source === null ? undefined : catalog.findExtension(source);
  const names = choice.key.criterionNames;
  return attributes.slice(0, choice.used).map((name, i) => {
    const attribute = source === null ? core.find(name) : extension?.find(name);
    const raw = query.criteria.get(names[i]) as string;
    if (!attribute) return raw;
    try {
      return toStoredValue(attribute.type, raw);
    } catch (error) {
      if (!(error instanceof ValueError)) throw error;
      throw new ApiError(400, 'INVALID_ATTRIBUTE_VALUE', `Invalid value for '${names[i]}': ${error.message}`);
    }
  });
}

/** Resolves `extensions=` names (case-insensitive); unknown → 400 UNKNOWN_EXTENSION. */
export function requestedExtensions(names: readonly string[], catalog: Catalog): ExtensionSchema[] {
  const found = names.map((name) => {
    const extension = catalog.findExtension(name);
    if (!extension) throw unknownExtension(name);
    return extension;
  });
  return [...new Set(found)];
}
