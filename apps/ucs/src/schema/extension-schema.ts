import { ApiError } from '@cs/platform/core';
import {
  attributeTypeOf,
  toOutputValue,
  toStoredValue,
  ValueError,
  type AttributeType,
  type StoredValue,
} from './attribute-types';
import { checkAttributeName, checkObjectName } from './names';

export type ExtensionType = 'single-valued' | 'multi-valued';

export interface ExtensionAttribute {
  name: string;
  type: AttributeType;
  length?: number;
  default?: StoredValue;
  mandatory: boolean;
}

/** What is stored for an extension schema (spec §3.4); `unique` holds attribute names in schema casing. */
export interface ExtensionDefinition {
  name: string;
  type: ExtensionType;
  required: boolean;
  attributes: ExtensionAttribute[];
  unique: string[];
}

/** An extension schema with case-insensitive attribute lookup (spec §2.6, A-37). */
export class ExtensionSchema {
  private readonly byLowerName: Map<string, ExtensionAttribute>;

  constructor(
    readonly id: number,
    readonly definition: ExtensionDefinition,
  ) {
    this.byLowerName = new Map(definition.attributes.map((a) => [a.name.toLowerCase(), a]));
  }

  get name(): string {
    return this.definition.name;
  }
  get multiValued(): boolean {
    return this.definition.type === 'multi-valued';
  }
  get attributes(): readonly ExtensionAttribute[] {
    return this.definition.attributes;
  }
  /** Attributes of the `unique` list, in list order. */
  get uniqueAttributes(): ExtensionAttribute[] {
    return this.definition.unique.map((name) => this.find(name) as ExtensionAttribute);
  }

  find(name: string): ExtensionAttribute | undefined {
    return this.byLowerName.get(name.toLowerCase());
  }
}

/** The S3 output form: `unique` only when not empty, `length`/`default` only when set. */
export function toExtensionSchemaView(schema: ExtensionSchema): Record<string, unknown> {
  const { name, type, required, attributes, unique } = schema.definition;
  const view: Record<string, unknown> = { name, type, required };
  if (unique.length > 0) view.unique = unique;
  view.attributes = attributes.map((a) => {
    const out: Record<string, unknown> = { name: a.name, type: a.type };
    if (a.length !== undefined) out.length = a.length;
    if (a.default !== undefined) out.default = toOutputValue(a.type, a.default);
    out.mandatory = a.mandatory;
    return out;
  });
  return view;
}

const invalid = (message: string) => new ApiError(400, 'INVALID_PARAMETER', message);

/** Validates an S2 body (spec §4.11) in the documented order; name clashes are the service's job. */
export function parseExtensionSchemaBody(body: unknown): ExtensionDefinition {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiError(400, 'MALFORMED_JSON', 'Invalid JSON body: expected an extension schema object');
  const input = body as Record<string, unknown>;
  const name = checkObjectName(input.name, 'extension');
  if (input.type === undefined || input.type === null)
    throw new ApiError(400, 'MISSING_PARAMETER', "'type' of the extension is required");
  const type = typeof input.type === 'string' ? input.type.trim().toLowerCase() : '';
  if (type !== 'single-valued' && type !== 'multi-valued')
    throw invalid('\'type\' must be "single-valued" or "multi-valued"');
  const required = booleanOf(input.required, 'required') ?? false;
  if (input.attributes !== undefined && input.attributes !== null && !Array.isArray(input.attributes))
    throw invalid("'attributes' must be an array of attribute schemas");
  const attributes: ExtensionAttribute[] = [];
  const seen = new Set<string>();
  for (const raw of (input.attributes as unknown[] | undefined | null) ?? []) {
    const attribute = parseAttribute(raw);
    if (seen.has(attribute.name.toLowerCase()))
      throw invalid(`Attribute '${attribute.name}' is defined twice`);
    seen.add(attribute.name.toLowerCase());
    attributes.push(attribute);
  }
  const unique = parseUnique(input.unique, attributes);
  if (unique.length > 0 && type === 'single-valued')
    throw invalid("'unique' is only allowed on a multi-valued extension");
  return { name, type, required, attributes, unique };
}

function parseAttribute(raw: unknown): ExtensionAttribute {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw invalid('Each attribute schema must be an object');
  const input = raw as Record<string, unknown>;
  const name = checkAttributeName(input.name);
  const type = attributeTypeOf(input.type);
  if (type === undefined)
    throw invalid(
      `Attribute '${name}': 'type' must be string, integer, long, double, date, datetime, currency or boolean`,
    );
  let length: number | undefined;
  if (input.length !== undefined && input.length !== null) {
    length =
      typeof input.length === 'string' && /^\d+$/.test(input.length.trim())
        ? Number(input.length)
        : (input.length as number);
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 1)
      throw invalid(`Attribute '${name}': 'length' must be a positive integer`);
  }
  const mandatory = booleanOf(input.mandatory, `${name}.mandatory`) ?? false;
  const attribute: ExtensionAttribute = { name, type, mandatory };
  if (length !== undefined) attribute.length = length;
  if (input.default !== undefined && input.default !== null) {
    try {
      attribute.default = toStoredValue(type, input.default, type === 'string' ? length : undefined);
    } catch (error) {
      if (!(error instanceof ValueError)) throw error;
      throw new ApiError(400, 'INVALID_ATTRIBUTE_VALUE', `Invalid default of '${name}': ${error.message}`);
    }
  }
  return attribute;
}

function parseUnique(raw: unknown, attributes: ExtensionAttribute[]): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.some((n) => typeof n !== 'string'))
    throw invalid("'unique' must be an array of attribute names");
  const names: string[] = [];
  for (const entry of raw as string[]) {
    const attribute = attributes.find((a) => a.name.toLowerCase() === entry.trim().toLowerCase());
    if (!attribute)
      throw new ApiError(
        400,
        'UNKNOWN_ATTRIBUTE',
        `'unique' names '${entry.slice(0, 64)}', which is not an attribute of the extension`,
      );
    if (!names.includes(attribute.name)) names.push(attribute.name);
  }
  return names;
}

/** A boolean or the strings "true"/"false" (spec §3.5); undefined when absent. */
function booleanOf(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim()))
    return value.trim().toLowerCase() === 'true';
  throw invalid(`'${field}' must be true or false`);
}
