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

/** Parses `CS_PROFILE_SCHEMA`; throws with a readable reason. */
export function parseProfileSchema(json: string): CoreAttribute[] {
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value)) throw new Error('must be a JSON array');
  const seen = new Set<string>();
  return value.map((item: unknown, i) => {
    const { name, type = 'string' } = (item ?? {}) as { name?: unknown; type?: unknown };
    if (typeof name !== 'string' || !NAME.test(name)) throw new Error(`item ${i}: name must match ${NAME}`);
    if (type !== 'string' && type !== 'date' && type !== 'datetime')
      throw new Error(`item ${i}: type must be string, date or datetime`);
    if (seen.has(name.toLowerCase())) throw new Error(`item ${i}: '${name}' is listed twice`);
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
    return `must be a JSON array of {"name","type"} (${this.problem})`;
  }
}

/** Core attributes looked up case-insensitively, echoed in schema casing (spec §2.6). */
export class ProfileSchema {
  private readonly byLowerName: Map<string, CoreAttribute>;

  constructor(readonly attributes: readonly CoreAttribute[]) {
    this.byLowerName = new Map(attributes.map((a) => [a.name.toLowerCase(), a]));
  }

  find(name: string): CoreAttribute | undefined {
    return this.byLowerName.get(name.toLowerCase());
  }
}

export const PROFILE_SCHEMA = Symbol('PROFILE_SCHEMA');
