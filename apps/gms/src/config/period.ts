/** Seconds per unit of a `<int><unit>` period (spec §1.7): `m` is minutes, `M` is 30 days. */
const UNIT_SECONDS: Record<string, number> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 7 * 86400,
  M: 30 * 86400,
  y: 365 * 86400,
};

/** Longest accepted period: keeps every computed instant far inside the range of a Date. */
export const MAX_PERIOD_SECONDS = 100 * 365 * 86400;

export const PERIOD_FORMAT = '<integer><unit> with unit s, m, h, d, w (7d), M (30d) or y (365d), e.g. 5y';

/** `5y` → seconds; undefined when `text` is not a positive `<int><unit>` period of at most 100 years. */
export function parsePeriod(text: string): number | undefined {
  const match = /^(\d{1,12})([smhdwMy])$/.exec(text.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2]];
  return seconds >= 1 && seconds <= MAX_PERIOD_SECONDS ? seconds : undefined;
}
