import { readJsonSource } from './json-source';
import { parsePasswordHash, type PasswordHash } from './password-hash';

/**
 * The roles of `cview/use-role` (gms spec §1.9, ucs spec §2.2): READ needs Administrator or Supervisor,
 * WRITE needs Administrator.
 */
export const ROLES = ['Administrator', 'Supervisor'] as const;
export type Role = (typeof ROLES)[number];

export interface UserAccount {
  name: string;
  hash: PasswordHash;
  roles: ReadonlySet<Role>;
}

export const USERS_FORMAT =
  'must be name:<scrypt hash>:Role1|Role2 entries separated by commas, a JSON array ' +
  '[{"name","hash","roles":[...]}], or the path of a file holding that JSON';

/**
 * Parses GMS_USERS / UCS_USERS: inline `alice:scrypt$…$…:Administrator|Supervisor,bob:scrypt$…$…:Supervisor`, the
 * JSON form `[{"name":"alice","hash":"scrypt$…$…","roles":["Administrator"]}]`, or a path to a file
 * holding the JSON. Throws an Error that names the faulty entry.
 */
export function parseUsers(value: string): Map<string, UserAccount> {
  const text = value.trim();
  const entries = looksInline(text) ? inlineEntries(text) : jsonEntries(readJsonSource(text));
  const users = new Map<string, UserAccount>();
  entries.forEach((entry, index) => {
    const user = toAccount(entry, `user #${index + 1}`);
    if (users.has(user.name)) throw new Error(`user '${user.name}' is listed twice`);
    users.set(user.name, user);
  });
  return users;
}

interface RawEntry {
  name: unknown;
  hash: unknown;
  roles: unknown;
}

function looksInline(text: string): boolean {
  return !text.startsWith('[') && !text.startsWith('{') && text.includes(':');
}

function inlineEntries(text: string): RawEntry[] {
  return text.split(',').map((item, index) => {
    const parts = item.trim().split(':');
    if (parts.length !== 3) throw new Error(`user #${index + 1}: expected name:<hash>:roles`);
    const [name, hash, roles] = parts;
    return { name, hash, roles: roles === '' ? [] : roles.split('|') };
  });
}

function jsonEntries(json: unknown): RawEntry[] {
  if (!Array.isArray(json)) throw new Error('the JSON form must be an array of users');
  return json.map((entry, index) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new Error(`user #${index + 1}: must be an object {"name","hash","roles"}`);
    const { name, hash, roles, ...rest } = entry as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new Error(`user #${index + 1}: unknown member '${unknown[0]}'`);
    return { name, hash, roles };
  });
}

function toAccount(entry: RawEntry, where: string): UserAccount {
  if (typeof entry.name !== 'string' || !/^[^:,\s]{1,128}$/.test(entry.name))
    throw new Error(`${where}: the name must be 1-128 characters without ':', ',' or spaces`);
  const label = `user '${entry.name}'`;
  const hash = typeof entry.hash === 'string' ? parsePasswordHash(entry.hash) : undefined;
  if (!hash)
    throw new Error(
      `${label}: the hash must be scrypt$<salt base64>$<hash base64> (npm run hash-password), never a password`,
    );
  if (!Array.isArray(entry.roles)) throw new Error(`${label}: roles must be a list`);
  const roles = new Set<Role>();
  for (const role of entry.roles) {
    if (!ROLES.includes(role as Role))
      throw new Error(`${label}: unknown role '${String(role)}' (roles: ${ROLES.join(', ')})`);
    roles.add(role as Role);
  }
  return { name: entry.name, hash, roles };
}
