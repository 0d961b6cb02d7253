import { formatDateTime, parseDateTime } from '@cs/platform/core';

/** Attribute types of spec §3.5, stored and emitted in lower case. */
export const ATTRIBUTE_TYPES = [
  'string',
  'integer',
  'long',
  'double',
  'date',
  'datetime',
  'currency',
  'boolean',
] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

/** Any case; `bool` is an alias of `boolean` (spec §3.5). Undefined when unknown. */
export function attributeTypeOf(raw: unknown): AttributeType | undefined {
  if (typeof raw !== 'string') return undefined;
  const lower = raw.trim().toLowerCase();
  if (lower === 'bool') return 'boolean';
  return (ATTRIBUTE_TYPES as readonly string[]).includes(lower) ? (lower as AttributeType) : undefined;
}

/** A stored value: the canonical JSON form (currency as a decimal string, big longs as strings). */
export type StoredValue = string | number | boolean;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const INT32 = 2 ** 31;

/** The reason a value does not fit its type, thrown by `toStoredValue`. */
export class ValueError extends Error {}

/** Converts an input value to its canonical stored form (spec §2.4); throws ValueError when it does not fit. */
export function toStoredValue(type: AttributeType, value: unknown, length?: number): StoredValue {
  switch (type) {
    case 'string': {
      if (typeof value !== 'string') throw new ValueError('expected a string');
      if (length !== undefined && [...value].length > length)
        throw new ValueError(`longer than ${length} characters`);
      return value;
    }
    case 'integer': {
      const n = integerOf(value);
      if (n === undefined || n < -INT32 || n >= INT32) throw new ValueError('expected a 32-bit integer');
      return Number(n);
    }
    case 'long': {
      const n = integerOf(value);
      if (n === undefined || n < -(2n ** 63n) || n >= 2n ** 63n)
        throw new ValueError('expected a 64-bit integer');
      return n >= -BigInt(Number.MAX_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(n)
        : n.toString();
    }
    case 'double': {
      const n =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && DECIMAL.test(value.trim())
            ? Number(value)
            : NaN;
      if (!Number.isFinite(n)) throw new ValueError('expected a number');
      return n;
    }
    case 'currency': {
      const text =
        typeof value === 'number' && Number.isFinite(value)
          ? String(value)
          : typeof value === 'string'
            ? value.trim()
            : '';
      if (!DECIMAL.test(text)) throw new ValueError('expected a decimal amount');
      return canonicalDecimal(text);
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      throw new ValueError('expected true or false');
    }
    case 'date': {
      if (!isCalendarDate(value)) throw new ValueError('expected a date YYYY-MM-DD');
      return value;
    }
    case 'datetime': {
      const epoch = typeof value === 'string' ? parseDateTime(value) : undefined;
      if (epoch === undefined) throw new ValueError('expected a date-time such as 1981-03-17T02:00:00.000Z');
      return formatDateTime(epoch);
    }
  }
}

/** The wire form of a stored value: currency becomes a JSON number; everything else is already final. */
export function toOutputValue(type: AttributeType, stored: StoredValue): StoredValue {
  return type === 'currency' && typeof stored === 'string' ? Number(stored) : stored;
}

/** `YYYY-MM-DD` naming a real day (spec §2.4), years 0000–9999 included. */
export function isCalendarDate(value: unknown): value is string {
  const m = typeof value === 'string' ? DATE.exec(value) : null;
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function integerOf(value: unknown): bigint | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : undefined;
  if (typeof value === 'string' && INTEGER.test(value.trim())) return BigInt(value.trim());
  return undefined;
}

/** A decimal string without exponent, sign normalised, no superfluous zeros ("1.50" → "1.5"). */
function canonicalDecimal(text: string): string {
  if (/[eE]/.test(text)) {
    // Exponent notation: accepted when the number has a plain decimal spelling.
    const plain = String(Number(text));
    if (/[eE]/.test(plain) || !Number.isFinite(Number(text)))
      throw new ValueError('expected a decimal amount');
    return canonicalDecimal(plain);
  }
  let negative = text.startsWith('-');
  const digits = text.replace(/^[+-]/, '');
  let [whole, fraction = ''] = digits.split('.');
  whole = whole.replace(/^0+(?=\d)/, '') || '0';
  fraction = fraction.replace(/0+$/, '');
  if (whole === '0' && fraction === '') negative = false;
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
