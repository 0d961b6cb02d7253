import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword, parsePasswordHash, verifyPassword } from './password-hash';
import { parseUsers } from './users';

const HASH_A = hashPassword('alpha');
const HASH_B = hashPassword('beta');

describe('password hashes', () => {
  it('verifies the right password only', async () => {
    const hash = parsePasswordHash(HASH_A);
    if (!hash) throw new Error('expected a valid hash');
    expect(HASH_A).toMatch(/^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    await expect(verifyPassword('alpha', hash)).resolves.toBe(true);
    await expect(verifyPassword('Alpha', hash)).resolves.toBe(false);
    await expect(verifyPassword('', hash)).resolves.toBe(false);
  });

  it('salts every hash', () => {
    expect(hashPassword('alpha')).not.toBe(HASH_A);
  });

  it.each([
    'alpha',
    'scrypt$abc',
    'scrypt$$',
    'bcrypt$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5a2V5',
    'scrypt$c2E=$a2V5a2V5a2V5a2V5a2V5a2V5',
  ])('refuses %j as a hash', (text) => {
    expect(parsePasswordHash(text)).toBeUndefined();
  });
});

describe('parseUsers (GMS_USERS, UCS_USERS)', () => {
  it('reads the inline form', () => {
    const users = parseUsers(
      `admin:${HASH_A}:Administrator|Supervisor, sup:${HASH_B}:Supervisor,none:${HASH_B}:`,
    );
    expect([...users.keys()]).toEqual(['admin', 'sup', 'none']);
    expect([...(users.get('admin')?.roles ?? [])]).toEqual(['Administrator', 'Supervisor']);
    expect([...(users.get('sup')?.roles ?? [])]).toEqual(['Supervisor']);
    expect(users.get('none')?.roles.size).toBe(0);
  });

  it('reads the JSON form, inline or from a file', () => {
    const json = JSON.stringify([{ name: 'admin', hash: HASH_A, roles: ['Administrator'] }]);
    expect([...parseUsers(json).keys()]).toEqual(['admin']);
    const file = join(mkdtempSync(join(tmpdir(), 'cs-users-')), 'users.json');
    writeFileSync(file, json);
    expect([...(parseUsers(file).get('admin')?.roles ?? [])]).toEqual(['Administrator']);
  });

  it.each([
    [`admin:${HASH_A}`, 'expected name:<hash>:roles'],
    ['admin:secret:Administrator', "user 'admin': the hash must be scrypt"],
    [`admin:${HASH_A}:Root`, "unknown role 'Root'"],
    [`admin:${HASH_A}:Administrator,admin:${HASH_B}:Supervisor`, "user 'admin' is listed twice"],
    [`:${HASH_A}:Administrator`, 'user #1: the name'],
    ['{"name":"a"}', 'must be an array'],
    [JSON.stringify([{ name: 'a', hash: HASH_A, roles: 'Administrator' }]), 'roles must be a list'],
    [JSON.stringify([{ name: 'a', hash: HASH_A, roles: [], password: 'x' }]), "unknown member 'password'"],
    ['/no/such/users.json', 'cannot read file'],
  ])('rejects %s', (value, message) => {
    expect(() => parseUsers(value)).toThrow(message);
  });
});
