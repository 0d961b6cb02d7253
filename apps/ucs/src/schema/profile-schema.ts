import { ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';

export type CoreAttributeType = 'string' | 'date' | 'datetime';

export interface CoreAttribute {
  name: string;
  type: CoreAttributeType;
}

/** The default core schema (spec §3.2): the five visible attributes and DOB, so Genesys examples work. */
export const DEFAULT_PROFILE_SCHEMA: readonly CoreAttribute[] = [
  { name: 'FirstName', type: 'string' },
  { name: 'LastName', type: 'string' },
  { name: 'PhoneNumber', type: 'string' },
  { name: 'EmailAddress', type: 'string' },
  { name: 'Title', type: 'string' },
  { name: 'DOB', type: 'date' },
];

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** One core schema for every tenant, or a default plus per-tenant sets (spec §3.2). */
export type ProfileSchemaConfig =
  | readonly CoreAttribute[]
  | { default?: readonly CoreAttribute[]; tenants: Record<string, readonly CoreAttribute[]> };

/**
 * Parses `CS_PROFILE_SCHEMA`: a JSON array of attributes, or an object `{"default": [...], "101": [...]}`
 * whose keys are tenant ids; throws with a readable reason.
 */
export function parseProfileSchema(json: string): ProfileSchemaConfig {
  const value: unknown = JSON.parse(json);
  if (Array.isArray(value)) return parseAttributeList(value, '');
  if (typeof value !== 'object' || value === null)
    throw new Error('must be a JSON array or an object of arrays by tenant');
  const tenants: Record<string, readonly CoreAttribute[]> = {};
  let fallback: readonly CoreAttribute[] | undefined;
  for (const [key, list] of Object.entries(value)) {
    if (!Array.isArray(list)) throw new Error(`'${key}' must be a JSON array`);
    if (key === 'default') fallback = parseAttributeList(list, 'default: ');
    else if (/^\d+$/.test(key)) tenants[key] = parseAttributeList(list, `${key}: `);
    else throw new Error(`'${key}' is neither "default" nor a tenant id`);
  }
  return { default: fallback, tenants };
}

function parseAttributeList(value: unknown[], where: string): CoreAttribute[] {
  const seen = new Set<string>();
  return value.map((item: unknown, i) => {
    const { name, type = 'string' } = (item ?? {}) as { name?: unknown; type?: unknown };
    if (typeof name !== 'string' || !NAME.test(name))
      throw new Error(`${where}item ${i}: name must match ${NAME}`);
    if (type !== 'string' && type !== 'date' && type !== 'datetime')
      throw new Error(`${where}item ${i}: type must be string, date or datetime`);
    if (seen.has(name.toLowerCase())) throw new Error(`${where}item ${i}: '${name}' is listed twice`);
    seen.add(name.toLowerCase());
    return { name, type };
  });
}

@ValidatorConstraint({ name: 'profileSchema' })
export class ProfileSchemaConstraint implements ValidatorConstraintInterface {
  private problem = '';
  validate(value: unknown): boolean {
    try {
      parseProfileSchema(String(value));
      return true;
    } catch (error) {
      this.problem = (error as Error).message;
      return false;
    }
  }
  defaultMessage(): string {
    return `must be a JSON array of {"name","type"}, or an object of such arrays by tenant id and "default" (${this.problem})`;
  }
}

/**
 * Core attributes looked up case-insensitively, echoed in schema casing (spec §2.6). Built from the
 * configuration; `forTenant` gives a tenant's own set, or the default one.
 */
export class ProfileSchema {
  readonly attributes: readonly CoreAttribute[];
  private readonly byLowerName: Map<string, CoreAttribute>;
  private readonly tenants: Map<string, ProfileSchema>;

  constructor(config: ProfileSchemaConfig) {
    if (isAttributeList(config)) {
      this.attributes = config;
      this.tenants = new Map();
    } else {
      this.attributes = config.default ?? DEFAULT_PROFILE_SCHEMA;
      this.tenants = new Map(Object.entries(config.tenants).map(([t, list]) => [t, new ProfileSchema(list)]));
    }
    this.byLowerName = new Map(this.attributes.map((a) => [a.name.toLowerCase(), a]));
  }

  /** The schema of one tenant. */
  forTenant(tenant: string): ProfileSchema {
    return this.tenants.get(tenant) ?? this;
  }

  find(name: string): CoreAttribute | undefined {
    return this.byLowerName.get(name.toLowerCase());
  }
}

function isAttributeList(config: ProfileSchemaConfig): config is readonly CoreAttribute[] {
  return Array.isArray(config);
}

export const PROFILE_SCHEMA = Symbol('PROFILE_SCHEMA');
