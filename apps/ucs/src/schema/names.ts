import { ApiError } from '@cs/platform/core';

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Extension and identification-key names (spec §2.6): the regex, at most 26 characters. */
export function checkObjectName(value: unknown, what: string): string {
  if (value === undefined || value === null || value === '')
    throw new ApiError(400, 'MISSING_PARAMETER', `'name' of the ${what} is required`);
  if (typeof value !== 'string' || !NAME.test(value) || value.length > 26)
    throw new ApiError(
      400,
      'INVALID_NAME',
      `Invalid ${what} name '${String(value).slice(0, 64)}': a letter then letters, digits or '_', at most 26 characters`,
    );
  return value;
}

/** Extension attribute names ([DECISION] §2.6): the same regex, at most 64 characters. */
export function checkAttributeName(value: unknown): string {
  if (typeof value !== 'string' || !NAME.test(value) || value.length > 64)
    throw new ApiError(
      400,
      'INVALID_NAME',
      `Invalid attribute name '${String(value).slice(0, 64)}': a letter then letters, digits or '_', at most 64 characters`,
    );
  return value;
}
