import { createHash, randomBytes } from 'node:crypto';
import { verifyPassword, type PasswordHash } from './password-hash';
import type { UserAccount } from './users';

/** Spent on unknown user names too, so that response times do not reveal which names exist. */
const DECOY_HASH: PasswordHash = { salt: randomBytes(16), key: randomBytes(32) };
const CACHE_LIMIT = 256;

/** `Authorization: Basic <base64 name:password>` → the two parts; undefined when absent or malformed. */
export function basicCredentials(header: string | undefined): { name: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Checks Basic credentials against the configured users. scrypt is slow on purpose, so a successful
 * check is remembered (by a SHA-256 of the header, never the password) for the next requests.
 */
export class CredentialChecker {
  private readonly verified = new Map<string, UserAccount>();

  constructor(private readonly users: ReadonlyMap<string, UserAccount>) {}

  /** The user the header authenticates; undefined when missing, malformed or wrong. */
  async authenticate(header: string | undefined): Promise<UserAccount | undefined> {
    const credentials = basicCredentials(header);
    if (!credentials) return undefined;
    const cacheKey = createHash('sha256')
      .update(header as string)
      .digest('base64');
    const cached = this.verified.get(cacheKey);
    if (cached) return cached;
    const user = this.users.get(credentials.name);
    const matches = await verifyPassword(credentials.password, user?.hash ?? DECOY_HASH);
    if (!user || !matches) return undefined;
    if (this.verified.size >= CACHE_LIMIT) this.verified.clear();
    this.verified.set(cacheKey, user);
    return user;
  }
}
