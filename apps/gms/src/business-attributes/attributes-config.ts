import { PERIOD_FORMAT, parsePeriod } from '../config/period';
import { AttributeValue, ValueList } from './value-list';

export const ATTRIBUTE_KINDS = ['Service', 'State', 'Task'] as const;
export type AttributeKind = (typeof ATTRIBUTE_KINDS)[number];

/** The mapped fields of each kind (spec §1.5); `type` is `service_type`, `state_type` or `task_type`. */
export const ATTRIBUTE_FIELDS = [
  'type',
  'disposition',
  'application_type',
  'resource_type',
  'media_type',
] as const;
export type AttributeField = (typeof ATTRIBUTE_FIELDS)[number];

/** Value lists keyed by `<Kind>.<field>` with the canonical field name, e.g. `Service.type`. */
export type AttributeLists = ReadonlyMap<string, ValueList>;

export const listKey = (kind: AttributeKind, field: AttributeField): string => `${kind}.${field}`;

const EXPIRATION_KEYS = ['expiration', 'settings/expiration', 'setting/expiration'];

/**
 * Validates the GMS_BUSINESS_ATTRIBUTES JSON: `{"Service.type": [{"dbid": 1, "name": "Billing",
 * "default": true, "expiration": "30d"}], "Task.disposition": [...], ...}`. The `<kind>_type` spelling
 * (`Service.service_type`) is accepted for `type` (spec §5 item 56). Throws an Error saying where.
 */
export function parseAttributeLists(json: unknown): Map<string, ValueList> {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Error('must be a JSON object mapping "<Service|State|Task>.<field>" to value lists');
  const lists = new Map<string, ValueList>();
  for (const [key, entries] of Object.entries(json)) {
    const canonical = canonicalKey(key);
    if (lists.has(canonical)) throw new Error(`"${key}": ${canonical} is mapped twice`);
    lists.set(canonical, new ValueList(parseValues(key, canonical, entries)));
  }
  return lists;
}

function canonicalKey(key: string): string {
  const [kind, field, ...rest] = key.split('.');
  const known = `keys are <${ATTRIBUTE_KINDS.join('|')}>.<${ATTRIBUTE_FIELDS.join('|')}>`;
  if (rest.length > 0 || !ATTRIBUTE_KINDS.includes(kind as AttributeKind))
    throw new Error(`"${key}": unknown key (${known})`);
  if (field === `${kind.toLowerCase()}_type`) return listKey(kind as AttributeKind, 'type');
  if (!ATTRIBUTE_FIELDS.includes(field as AttributeField))
    throw new Error(`"${key}": unknown field (${known})`);
  return key;
}

function parseValues(key: string, canonical: string, entries: unknown): AttributeValue[] {
  if (!Array.isArray(entries) || entries.length === 0)
    throw new Error(`"${key}": must be a non-empty array of {"dbid", "name", "default"?, "expiration"?}`);
  const values = entries.map((entry, index) => parseValue(`"${key}"[${index}]`, canonical, entry));
  const seenNames = new Set<string>();
  const seenIds = new Set<number>();
  for (const value of values) {
    if (seenNames.has(value.name)) throw new Error(`"${key}": name '${value.name}' is listed twice`);
    if (seenIds.has(value.dbid)) throw new Error(`"${key}": dbid ${value.dbid} is listed twice`);
    seenNames.add(value.name);
    seenIds.add(value.dbid);
  }
  if (values.filter((value) => value.isDefault).length > 1)
    throw new Error(`"${key}": more than one value is marked "default"`);
  return values;
}

function parseValue(where: string, canonical: string, entry: unknown): AttributeValue {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    throw new Error(`${where}: must be an object {"dbid", "name", "default"?, "expiration"?}`);
  const record = entry as Record<string, unknown>;
  for (const member of Object.keys(record)) {
    if (!['dbid', 'name', 'default', ...EXPIRATION_KEYS].includes(member))
      throw new Error(`${where}: unknown member "${member}"`);
  }
  const { dbid, name } = record;
  if (typeof dbid !== 'number' || !Number.isSafeInteger(dbid) || dbid < 0)
    throw new Error(`${where}.dbid: must be an integer >= 0`);
  if (typeof name !== 'string' || name.trim() === '' || name.length > 256)
    throw new Error(`${where}.name: must be a non-blank string of at most 256 characters`);
  if (record.default !== undefined && typeof record.default !== 'boolean')
    throw new Error(`${where}.default: must be true or false`);
  const value: AttributeValue = { dbid, name, isDefault: record.default === true };
  const expirationKeys = EXPIRATION_KEYS.filter((member) => record[member] !== undefined);
  if (expirationKeys.length > 1) throw new Error(`${where}: give only one of ${EXPIRATION_KEYS.join(', ')}`);
  if (expirationKeys.length === 1) {
    const member = expirationKeys[0];
    if (canonical !== 'Service.type')
      throw new Error(`${where}.${member}: an expiration only applies to Service.type values`);
    const raw = record[member];
    const seconds = typeof raw === 'string' ? parsePeriod(raw) : undefined;
    if (seconds === undefined) throw new Error(`${where}.${member}: must be ${PERIOD_FORMAT}`);
    value.expirationSeconds = seconds;
  }
  return value;
}
