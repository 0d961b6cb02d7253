export interface RateLimitConfig {
  /** Tokens added per second: the sustained rate a client may send. */
  rps: number;
  /** Bucket size: requests a client may send at once after being idle. 0: one second's worth of `rps`. */
  burst: number;
}

export interface RateLimiterOptions {
  /** Most clients remembered at once; the least recently seen one is forgotten first. */
  maxClients?: number;
  /** How often buckets that refilled completely are dropped (a full bucket = a client never seen). */
  sweepIntervalMs?: number;
  /** Milliseconds on a monotonic clock (tests pass their own). */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

// ~100 bytes a bucket: the map stays around 10 MB even under a flood of spoofed addresses.
const DEFAULT_MAX_CLIENTS = 100_000;
const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

/**
 * A token bucket per client. Memory stays bounded without a timer: the map is kept in least-recently-
 * used order and capped, and a request at most once per sweep interval drops the buckets that have
 * refilled (forgetting them changes nothing).
 */
export class RateLimiter {
  readonly burst: number;
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxClients: number;
  private readonly sweepIntervalMs: number;
  private readonly now: () => number;
  private lastSweepMs: number;

  constructor(
    readonly rps: number,
    burst: number,
    options: RateLimiterOptions = {},
  ) {
    if (!(rps > 0)) throw new Error('RateLimiter needs a positive rate');
    this.burst = burst > 0 ? burst : Math.max(1, Math.ceil(rps));
    this.maxClients = options.maxClients ?? DEFAULT_MAX_CLIENTS;
    this.sweepIntervalMs = options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
    this.now = options.now ?? (() => performance.now());
    this.lastSweepMs = this.now();
  }

  /** Takes a token for `client`: 0 when the request may pass, otherwise the seconds to wait (≥ 1). */
  take(client: string): number {
    const now = this.now();
    if (now - this.lastSweepMs >= this.sweepIntervalMs) this.sweep(now);

    let bucket = this.buckets.get(client);
    if (bucket) {
      this.buckets.delete(client); // re-inserted below: the map's order is least recently used first
      bucket.tokens = this.refilled(bucket, now);
      bucket.updatedMs = now;
    } else {
      if (this.buckets.size >= this.maxClients)
        this.buckets.delete(this.buckets.keys().next().value as string);
      bucket = { tokens: this.burst, updatedMs: now };
    }
    this.buckets.set(client, bucket);

    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.rps));
  }

  /** Clients currently remembered. */
  get size(): number {
    return this.buckets.size;
  }

  private refilled(bucket: Bucket, now: number): number {
    return Math.min(this.burst, bucket.tokens + ((now - bucket.updatedMs) * this.rps) / 1000);
  }

  private sweep(now: number): void {
    this.lastSweepMs = now;
    for (const [client, bucket] of this.buckets) {
      if (this.refilled(bucket, now) >= this.burst) this.buckets.delete(client);
    }
  }
}
