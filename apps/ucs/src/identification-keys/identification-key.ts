import { ApiError } from '@cs/platform/core';
import type { ExtensionSchema } from '../schema/extension-schema';
import { checkObjectName } from '../schema/names';
import type { ProfileSchema } from '../schema/profile-schema';

/** What is stored for a key (spec §3.6): names in schema casing; `source` null for the core profile. */
export interface KeyDefinition {
  name: string;
  source: string | null;
  attributes: string[];
  unique: boolean;
}

/** A key with its internal, monotonic id (creation order, spec §4.2, A-38). */
export class IdentificationKey {
  constructor(
    readonly id: number,
    readonly definition: KeyDefinition,
  ) {}

  get name(): string {
    return this.definition.name;
  }
  get sourceLc(): string | null {
    return this.definition.source?.toLowerCase() ?? null;
  }
  /** How a criterion must be written to cover each attribute, lower-cased (`Devices.serial` → `devices.serial`). */
  get criterionNames(): string[] {
    const prefix = this.definition.source === null ? '' : `${this.definition.source.toLowerCase()}.`;
    return this.definition.attributes.map((a) => `${prefix}${a.toLowerCase()}`);
  }
}

/** The S5 output form: extension attributes prefixed, `unique` only when true, no `source`. */
export function toKeyView(key: IdentificationKey): Record<string, unknown> {
  const { name, source, attributes, unique } = key.definition;
  const view: Record<string, unknown> = {
    name,
    attributes: attributes.map((a) => (source === null ? a : `${source}.${a}`)),
  };
  if (unique) view.unique = true;
  return view;
}

const invalid = (message: string) => new ApiError(400, 'INVALID_PARAMETER', message);
const mixed = () =>
  new ApiError(
    400,
    'MIXED_KEY_SOURCES',
    'Key attributes must all come from the profile or all from the one source extension',
  );

/**
 * Validates an S6 body (spec §4.15) in the documented order, except the duplicate name and the unique
 * check against stored data, which need the database.
 */
export function parseKeyBody(
  body: unknown,
  core: ProfileSchema,
  findExtension: (name: string) => ExtensionSchema | undefined,
): KeyDefinition {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiError(400, 'MALFORMED_JSON', 'Invalid JSON body: expected an identification key object');
  const input = body as Record<string, unknown>;
  const name = checkObjectName(input.name, 'identification key');
  let source: ExtensionSchema | null | undefined; // undefined: not given
  if (input.source !== undefined && input.source !== null) {
    if (typeof input.source !== 'string') throw invalid("'source' must be a string");
    const raw = input.source.trim();
    if (raw.toLowerCase() === 'none') throw invalid('\'source\' "none" is not supported');
    if (raw.toLowerCase() === 'profile') source = null;
    else {
      source = findExtension(raw);
      if (!source)
        throw new ApiError(400, 'UNKNOWN_EXTENSION', `Extension '${raw.slice(0, 64)}' is not defined`);
    }
  }
  if (input.attributes === undefined || input.attributes === null)
    throw new ApiError(400, 'MISSING_PARAMETER', "'attributes' of the key is required");
  if (
    !Array.isArray(input.attributes) ||
    input.attributes.length === 0 ||
    input.attributes.some((a) => typeof a !== 'string' || a.trim() === '')
  )
    throw invalid("'attributes' must be a non-empty array of attribute names");
  const entries = (input.attributes as string[]).map((a) => a.trim());
  const prefixes = entries.map((e) => (e.includes('.') ? e.slice(0, e.indexOf('.')) : null));
  if (source === undefined) {
    const first = prefixes[0];
    if (first === null) source = null;
    else {
      if (prefixes.some((p) => p === null || p.toLowerCase() !== first.toLowerCase())) throw mixed();
      source = findExtension(first) ?? null;
      if (!source)
        throw new ApiError(400, 'UNKNOWN_EXTENSION', `Extension '${first.slice(0, 64)}' is not defined`);
    }
  }
  for (const prefix of prefixes) {
    if (prefix === null) continue;
    if (source === null || prefix.toLowerCase() !== source.name.toLowerCase()) throw mixed();
  }
  const attributes: string[] = [];
  for (const entry of entries) {
    const plain = entry.includes('.') ? entry.slice(entry.indexOf('.') + 1) : entry;
    const found = source === null ? core.find(plain) : source.find(plain);
    if (!found)
      throw new ApiError(
        400,
        'UNKNOWN_ATTRIBUTE',
        `'${entry.slice(0, 64)}' is not an attribute of ${source === null ? 'the profile' : `extension '${source.name}'`}`,
      );
    if (attributes.includes(found.name)) throw invalid(`Attribute '${found.name}' is listed twice`);
    attributes.push(found.name);
  }
  if (input.unique !== undefined && input.unique !== null && typeof input.unique !== 'boolean')
    throw invalid("'unique' must be true or false");
  return { name, source: source === null ? null : source.name, attributes, unique: input.unique === true };
}
