import { randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashes of configured users: `scrypt$<salt base64>$<key base64>` with fixed cost parameters
 * (N=2^14, r=8, p=1). Plain passwords are never configured nor stored.
 */
const PARAMS: ScryptOptions = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const FORMAT = /^scrypt\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

export interface PasswordHash {
  salt: Buffer;
  key: Buffer;
}

/** Parses a stored hash; undefined when it is not `scrypt$<salt>$<key>` with a usable salt and key. */
export function parsePasswordHash(text: string): PasswordHash | undefined {
  const match = FORMAT.exec(text);
  if (!match) return undefined;
  const salt = Buffer.from(match[1], 'base64');
  const key = Buffer.from(match[2], 'base64');
  if (salt.length < 8 || key.length < 16 || key.length > 128) return undefined;
  return { salt, key };
}

/** A new hash of `password` with a random salt (used by `npm run hash-password`). */
export function hashPassword(password: string): string {
  const salt = randomBytes(SALT_BYTES);
  const key = scryptSync(password.normalize('NFC'), salt, KEY_BYTES, PARAMS);
  return `scrypt$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** True when `password` matches; the comparison takes the same time wherever the keys differ. */
export async function verifyPassword(password: string, hash: PasswordHash): Promise<boolean> {
  const derived = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFC'), hash.salt, hash.key.length, PARAMS, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
  return timingSafeEqual(derived, hash.key);
}
