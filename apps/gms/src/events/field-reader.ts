import { ApiError, parseDateTime } from '@cs/platform/core';

export type BusinessAttributeValue = number | string;

const INT32_MAX = 2 ** 31 - 1;

export const invalidValue = (field: string, reason: string): ApiError =>
  new ApiError(400, 'INVALID_VALUE', `Invalid value for '${field}': ${reason}`);

/**
 * Reads typed fields out of a request body with the conversions of spec §2.11: a string field sent as a
 * number is kept as its string form, a number field sent as a numeric string becomes a number.
 */
export class FieldReader {
  constructor(private readonly body: Record<string, unknown>) {}

  has(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.body, name) && this.body[name] !== undefined;
  }

  string(name: string, maxLength: number): string | undefined {
    if (!this.has(name)) return undefined;
    const raw = this.body[name];
    if (typeof raw !== 'string' && !(typeof raw === 'number' && Number.isFinite(raw))) {
      throw invalidValue(name, 'must be a string');
    }
    const value = String(raw);
    if (value.length > maxLength)
      throw new ApiError(400, 'FIELD_TOO_LONG', `Field '${name}' exceeds ${maxLength} characters`);
    return value;
  }

  /** A non-blank identifier such as `customer_id` (1–256 characters). */
  identifier(name: string): string | undefined {
    const value = this.string(name, 256);
    if (value !== undefined && value.trim() === '') throw invalidValue(name, 'must not be blank');
    return value;
  }

  integer(name: string, min: number, max: number): number | undefined {
    if (!this.has(name)) return undefined;
    const raw = this.body[name];
    const value = typeof raw === 'string' && /^-?\d{1,16}$/.test(raw.trim()) ? Number(raw.trim()) : raw;
    if (typeof value !== 'number' || !Number.isSafeInteger(value))
      throw invalidValue(name, 'must be an integer');
    if (value < min || value > max) throw invalidValue(name, `must be between ${min} and ${max}`);
    return value;
  }

  int32(name: string, min = 0): number | undefined {
    return this.integer(name, min, INT32_MAX);
  }

  /** Business-attribute-valued field (spec §2.6): an integer DB id or a string name. */
  businessAttribute(name: string): BusinessAttributeValue | undefined {
    if (!this.has(name)) return undefined;
    const raw = this.body[name];
    if (typeof raw === 'string') {
      if (raw.length > 256)
        throw new ApiError(400, 'FIELD_TOO_LONG', `Field '${name}' exceeds 256 characters`);
      return raw;
    }
    if (typeof raw === 'number' && Number.isSafeInteger(raw)) return raw;
    throw invalidValue(name, 'must be an integer id or a string name');
  }

  /** An ISO-8601 date-time, returned as epoch milliseconds. */
  dateTime(name: string): number | undefined {
    if (!this.has(name)) return undefined;
    const raw = this.body[name];
    const epoch = typeof raw === 'string' ? parseDateTime(raw) : undefined;
    if (epoch === undefined) throw invalidValue(name, 'must be a date-time such as 2014-09-02T08:00:00.000Z');
    return epoch;
  }
}
