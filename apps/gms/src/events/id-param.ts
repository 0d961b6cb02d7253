import { ApiError } from '@cs/platform/core';

const INT32_MAX = 2 ** 31 - 1;

/** A `state_id` / `task_id` path segment (spec §2.5): a decimal integer, else 400. */
export function parseIdParam(name: string, raw: string): number {
  const value = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value > INT32_MAX) {
    throw new ApiError(
      400,
      'INVALID_PARAMETER',
      `Invalid value for path parameter '${name}': '${raw.slice(0, 40)}' is not an integer`,
    );
  }
  return value;
}
