import { parseUpdateExpiration } from './update-expiration';

const NOW = Date.parse('2024-03-04T09:00:00.000Z');

describe('parseUpdateExpiration (spec §4.13)', () => {
  it('lets ttl win and then ignores expiration_time entirely', () => {
    expect(parseUpdateExpiration({ ttl: 60, expiration_time: 'not a date' }, NOW)).toBe(NOW + 60_000);
  });

  it('takes a future expiration_time and rejects a past one', () => {
    expect(parseUpdateExpiration({ expiration_time: '2024-03-05T09:00:00.000Z' }, NOW)).toBe(
      Date.parse('2024-03-05T09:00:00.000Z'),
    );
    expect(() => parseUpdateExpiration({ expiration_time: '2024-03-04T09:00:00.000Z' }, NOW)).toThrow(
      /'expiration_time'/,
    );
  });

  it('requires one of them, in an object body', () => {
    expect(() => parseUpdateExpiration({ other: 1 }, NOW)).toThrow(/'ttl' or 'expiration_time'/);
    expect(() => parseUpdateExpiration([], NOW)).toThrow(/Invalid JSON body/);
    expect(() => parseUpdateExpiration(undefined, NOW)).toThrow(/Invalid JSON body/);
  });
});
