import { RateLimiter } from './rate-limit';

/** A limiter on a clock the test moves by hand. */
function limiter(
  rps: number,
  burst: number,
  options: { maxClients?: number; sweepIntervalMs?: number } = {},
) {
  const clock = { ms: 0 };
  const limit = new RateLimiter(rps, burst, { ...options, now: () => clock.ms });
  return { limit, clock };
}

describe('RateLimiter', () => {
  it('lets a burst through, then asks to wait whole seconds', () => {
    const { limit } = limiter(2, 3);
    expect([limit.take('a'), limit.take('a'), limit.take('a')]).toEqual([0, 0, 0]);
    expect(limit.take('a')).toBe(1);
  });

  it('refills at the configured rate', () => {
    const { limit, clock } = limiter(2, 2);
    limit.take('a');
    limit.take('a');
    expect(limit.take('a')).toBeGreaterThan(0);
    clock.ms += 499;
    expect(limit.take('a')).toBeGreaterThan(0);
    clock.ms += 1;
    expect(limit.take('a')).toBe(0); // 500 ms at 2/s: one token
    expect(limit.take('a')).toBeGreaterThan(0);
  });

  it('never refills above the burst', () => {
    const { limit, clock } = limiter(10, 2);
    clock.ms += 60_000;
    expect([limit.take('a'), limit.take('a'), limit.take('a')]).toEqual([0, 0, 1]);
  });

  it('Retry-After rounds up, at least 1 s', () => {
    const { limit } = limiter(0.25, 1); // one request every 4 s
    expect(limit.take('a')).toBe(0);
    expect(limit.take('a')).toBe(4);
  });

  it('keeps one bucket per client', () => {
    const { limit } = limiter(1, 1);
    expect(limit.take('a')).toBe(0);
    expect(limit.take('a')).toBe(1);
    expect(limit.take('b')).toBe(0);
  });

  it('defaults the burst to one second of the rate', () => {
    expect(new RateLimiter(20, 0).burst).toBe(20);
    expect(new RateLimiter(0.5, 0).burst).toBe(1);
    expect(new RateLimiter(2.5, 0).burst).toBe(3);
  });

  it('forgets the least recently seen client beyond the cap', () => {
    const { limit } = limiter(1, 1, { maxClients: 2 });
    limit.take('a');
    limit.take('b');
    limit.take('a'); // a is now more recent than b
    limit.take('c'); // evicts b
    expect(limit.size).toBe(2);
    expect(limit.take('a')).toBe(1); // still remembered: empty bucket
    expect(limit.take('b')).toBe(0); // forgotten: a fresh bucket
  });

  it('sweeps buckets that refilled completely', () => {
    const { limit, clock } = limiter(1, 2, { sweepIntervalMs: 1000 });
    limit.take('idle');
    clock.ms += 500;
    limit.take('busy');
    limit.take('busy');
    clock.ms += 1000; // idle: full again; busy: 1 of 2 tokens
    limit.take('other');
    expect(limit.size).toBe(2); // busy and other
    expect(limit.take('busy')).toBe(0);
    expect(limit.take('busy')).toBe(1);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new RateLimiter(0, 1)).toThrow();
  });
});
