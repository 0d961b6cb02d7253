const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses an ISO-8601 date-time with `Z` or a numeric offset (milliseconds optional) into epoch ms.
 * Returns undefined for anything else, including impossible dates such as 2021-02-30.
 */
export function parseDateTime(value: string): number | undefined {
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, , zone] = m;
  const local = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  const check = new Date(local);
  if (
    check.getUTCFullYear() !== +y ||
    check.getUTCMonth() !== +mo - 1 ||
    check.getUTCDate() !== +d ||
    check.getUTCHours() !== +h ||
    check.getUTCMinutes() !== +mi ||
    check.getUTCSeconds() !== +s
  ) {
    return undefined;
  }
  const epoch = Date.parse(value);
  return Number.isNaN(epoch) || zone === undefined ? undefined : epoch;
}

/** UTC ISO-8601 with milliseconds and `Z`, the only output form (ARCHITECTURE §5). */
export function formatDateTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
