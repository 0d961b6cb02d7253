import { ApiError, parseDateTime } from '@cs/platform/core';

type Query = Record<string, unknown>;

/** A query parameter as one string; a repeated parameter is one comma list. */
export function queryText(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(',');
  throw ApiError.invalidParameter(name, 'must be a plain value');
}

function commaItems(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/**
 * `service_types` / `state_types` / `task_types` (spec §4.7): the stored JSON texts that match one of
 * the items by string comparison (`5` matches the id 5 and the name "5"); undefined when no filter.
 */
export function typeFilter(query: Query, name: string): string[] | undefined {
  const items = commaItems(queryText(query, name));
  if (items.length === 0) return undefined;
  const texts = new Set<string>();
  for (const item of items) {
    texts.add(JSON.stringify(item));
    // Only the canonical spelling of a number is its string form: `05` and `-0` do not match 5 and 0.
    if (/^-?\d{1,15}$/.test(item) && String(Number(item)) === item) texts.add(item);
  }
  return [...texts];
}

/** A date-time query parameter as epoch ms. */
export function dateParam(query: Query, name: string): number | undefined {
  const text = queryText(query, name);
  if (text === undefined) return undefined;
  const epoch = parseDateTime(text);
  if (epoch === undefined)
    throw ApiError.invalidParameter(name, 'must be a date-time such as 2014-09-02T08:00:00.000Z');
  return epoch;
}

/** `state_id` filter of spec §4.22: one integer or a comma list (§5 item 37). */
export function integerListParam(query: Query, name: string): number[] | undefined {
  const items = commaItems(queryText(query, name));
  if (items.length === 0) return undefined;
  return items.map((item) => {
    if (!/^\d{1,10}$/.test(item) || Number(item) > 2 ** 31 - 1)
      throw ApiError.invalidParameter(name, `'${item.slice(0, 40)}' is not an integer`);
    return Number(item);
  });
}

export type StatusFilter = 'all' | 'active' | 'completed';

/** The SQL condition of a status filter on `<prefix>completed_at`; undefined for `all`. */
export function statusCondition(status: StatusFilter, prefix = ''): string | undefined {
  if (status === 'active') return `${prefix}completed_at IS NULL`;
  if (status === 'completed') return `${prefix}completed_at IS NOT NULL`;
  return undefined;
}
