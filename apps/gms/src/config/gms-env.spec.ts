import { EnvValidationError, hashPassword, loadEnv } from '@cs/platform/core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GmsEnv } from './gms-env';
import { gmsOptions } from './gms-options';

function problems(source: Record<string, string>): string {
  try {
    loadEnv(GmsEnv, source);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvValidationError);
    return (error as Error).message;
  }
  throw new Error('expected an invalid environment');
}

describe('GmsEnv and gmsOptions (spec §1.11)', () => {
  it('has the spec defaults', () => {
    const options = gmsOptions(loadEnv(GmsEnv, {}));
    expect(options).toMatchObject({
      enabled: true,
      expirationSeconds: 5 * 365 * 86400,
      autoCompleteEnabled: false,
      autoCompleteAfterSeconds: null,
      allowCustomIds: false,
      useRole: false,
      businessAttributes: { dataValidation: false, mapNames: false, storeNames: false },
    });
    expect(options.users.size).toBe(0);
    expect(options.businessAttributes.lists.size).toBe(0);
  });

  it('reads every option', () => {
    const hash = hashPassword('secret');
    const options = gmsOptions(
      loadEnv(GmsEnv, {
        GMS_ENABLED: 'false',
        GMS_EXPIRATION: '2w',
        GMS_AUTO_COMPLETE_ENABLED: 'true',
        GMS_AUTO_COMPLETE_AFTER: '1800',
        GMS_ALLOW_CUSTOM_IDS: 'true',
        GMS_USE_ROLE: 'true',
        GMS_USERS: `admin:${hash}:Administrator`,
        GMS_BUSINESS_ATTRIBUTES: '{"Service.service_type":[{"dbid":1,"name":"Billing"}]}',
        GMS_DATA_VALIDATION: 'true',
        GMS_MAP_NAMES: 'yes',
        GMS_STORE_NAMES: '1',
      }),
    );
    expect(options).toMatchObject({
      enabled: false,
      expirationSeconds: 14 * 86400,
      autoCompleteEnabled: true,
      autoCompleteAfterSeconds: 1800,
      allowCustomIds: true,
      useRole: true,
      businessAttributes: { dataValidation: true, mapNames: true, storeNames: true },
    });
    expect([...options.users.keys()]).toEqual(['admin']);
    expect([...options.businessAttributes.lists.keys()]).toEqual(['Service.type']);
  });

  it('falls back to 5y with a warning on an invalid GMS_EXPIRATION (not a boot failure)', () => {
    const warn = jest.fn();
    const options = gmsOptions(loadEnv(GmsEnv, { GMS_EXPIRATION: '5 years' }), { warn });
    expect(options.expirationSeconds).toBe(5 * 365 * 86400);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][1]).toContain('GMS_EXPIRATION');
  });

  it('names each invalid variable', () => {
    const message = problems({
      GMS_ENABLED: 'maybe',
      GMS_AUTO_COMPLETE_AFTER: '0',
      GMS_ALLOW_CUSTOM_IDS: 'sure',
      GMS_DATA_VALIDATION: 'x',
      GMS_BUSINESS_ATTRIBUTES: '{"Service.colour":[]}',
    });
    for (const name of [
      'GMS_ENABLED',
      'GMS_AUTO_COMPLETE_AFTER',
      'GMS_ALLOW_CUSTOM_IDS',
      'GMS_DATA_VALIDATION',
      'GMS_BUSINESS_ATTRIBUTES',
    ]) {
      expect(message).toContain(name);
    }
    expect(message).toContain('"Service.colour": unknown field');
  });

  it('requires users when GMS_USE_ROLE=true, and valid ones whenever given', () => {
    expect(problems({ GMS_USE_ROLE: 'true' })).toMatch(/GMS_USERS .*at least one user/);
    expect(problems({ GMS_USERS: 'bob:plaintext:Supervisor' })).toMatch(/GMS_USERS .*scrypt/);
  });

  it('says where a business-attributes file is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gms-env-'));
    const file = join(dir, 'ba.json');
    writeFileSync(file, JSON.stringify({ 'Task.type': [{ dbid: 1, name: 'A', expiration: '1d' }] }));
    expect(problems({ GMS_BUSINESS_ATTRIBUTES: file })).toContain(
      '"Task.type"[0].expiration: an expiration only applies to Service.type values',
    );
    expect(problems({ GMS_BUSINESS_ATTRIBUTES: join(dir, 'missing.json') })).toContain('ENOENT');
    writeFileSync(file, '{oops');
    expect(problems({ GMS_BUSINESS_ATTRIBUTES: file })).toContain('is not valid JSON');
  });
});
