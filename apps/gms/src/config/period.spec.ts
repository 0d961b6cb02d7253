import { parsePeriod } from './period';

describe('parsePeriod (spec §1.7 <int><unit>)', () => {
  it.each([
    ['30s', 30],
    ['5m', 300],
    ['2h', 7200],
    ['1d', 86400],
    ['1w', 7 * 86400],
    ['1M', 30 * 86400],
    ['5y', 5 * 365 * 86400],
    [' 10d ', 10 * 86400],
    ['100y', 100 * 365 * 86400],
  ])('%s → %i seconds', (text, seconds) => {
    expect(parsePeriod(text)).toBe(seconds);
  });

  it.each(['', '5', 'y', '0s', '-1d', '1.5h', '5 y', '5Y', '1D', '2x', '101y', '99999999999s', '5yy'])(
    'rejects %j',
    (text) => {
      expect(parsePeriod(text)).toBeUndefined();
    },
  );
});
