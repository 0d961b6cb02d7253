import { createHash, randomBytes } from 'node:crypto';
import { ConcurrencyLimit } from './concurrency-limit';
import { ExpiringCache } from './expiring-cache';
import { verifyPassword, type PasswordHash } from './password-hash';
import type { UserAccount } from './users';

/** Spent on unknown user names too, so that response times do not reveal which names exist. */
const DECOY_HASH: PasswordHash = { salt: randomBytes(16), key: randomBytes(32) };

/** `Authorization: Basic <base64 name:password>` → the two parts; undefined when absent or malformed. */
export function basicCredentials(header: string | undefined): { name: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Too many password checks already running or waiting: retry later (503, not 401). */
export const CREDENTIALS_BUSY = 'busy';

export interface CredentialCheckerOptions {
  /** How long a successful check is remembered, and how many of them (least recently used go first). */
  successTtlMs: number;
  successLimit: number;
  /** How long a failed check is remembered, so that repeating the same wrong header costs no hash. */
  failureTtlMs: number;
  failureLimit: number;
  /** scrypt checks running at once (libuv has 4 threads, shared with dns and fs) and waiting. */
  maxActive: number;
  maxWaiting: number;
  verify: (password: string, hash: PasswordHash) => Promise<boolean>;
  now: () => number;
}

const DEFAULTS: CredentialCheckerOptions = {
  successTtlMs: 60_000,
  successLimit: 1000,
  failureTtlMs: 5000,
  failureLimit: 1000,
  maxActive: 2,
  maxWaiting: 32,
  verify: verifyPassword,
  now: Date.now,
};

/**
 * Checks Basic credentials against the configured users. scrypt is slow on purpose (~16 MiB, ~100 ms
 * on a worker thread), so results are remembered by a SHA-256 of the header (never the header or
 * the password), and only a few checks may run or wait at once. The users come from the env and
 * change only with a restart, so nothing ever has to be invalidated.
 */
export class CredentialChecker {
  private readonly options: CredentialCheckerOptions;
  private readonly verified: ExpiringCache<UserAccount>;
  private readonly refused: ExpiringCache<true>;
  private readonly limit: ConcurrencyLimit;

  constructor(
    private readonly users: ReadonlyMap<string, UserAccount>,
    options: Partial<CredentialCheckerOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    const { successLimit, successTtlMs, failureLimit, failureTtlMs, now } = this.options;
    this.verified = new ExpiringCache(successLimit, successTtlMs, now);
    this.refused = new ExpiringCache(failureLimit, failureTtlMs, now);
    this.limit = new ConcurrencyLimit(this.options.maxActive, this.options.maxWaiting);
  }

  /** The user the header authenticates; undefined when missing, malformed or wrong; 'busy' when overloaded. */
  async authenticate(header: string | undefined): Promise<UserAccount | undefined | typeof CREDENTIALS_BUSY> {
    const credentials = basicCredentials(header);
    if (!credentials) return undefined;
    const cacheKey = createHash('sha256')
      .update(header as string)
      .digest('base64');
    const cached = this.verified.get(cacheKey);
    if (cached) return cached;
    if (this.refused.get(cacheKey)) return undefined;
    const user = this.users.get(credentials.name);
    const check = this.limit.run(() => this.options.verify(credentials.password, user?.hash ?? DECOY_HASH));
    if (!check) return CREDENTIALS_BUSY;
    const matches = await check;
    if (!user || !matches) {
      this.refused.set(cacheKey, true);
      return undefined;
    }
    this.verified.set(cacheKey, user);
    return user;
  }
}
