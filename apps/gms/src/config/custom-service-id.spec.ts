import { ApiError } from '@cs/platform/core';
import { customServiceId, isDuplicateKeyError, SERVICE_ID_INDEX } from './custom-service-id';

describe('customServiceId (spec §2.5)', () => {
  it('is ignored when custom ids are not allowed', () => {
    expect(customServiceId({ service_id: 'mine' }, false)).toBeUndefined();
    expect(customServiceId({ service_id: '!!' }, false)).toBeUndefined();
  });

  it('returns a valid id, a number in its string form, nothing when absent', () => {
    expect(customServiceId({ service_id: 'ab.C_1:2-3' }, true)).toBe('ab.C_1:2-3');
    expect(customServiceId({ service_id: 42 }, true)).toBe('42');
    expect(customServiceId({ service_id: 'x'.repeat(64) }, true)).toBe('x'.repeat(64));
    expect(customServiceId({}, true)).toBeUndefined();
  });

  it.each([[''], ['x'.repeat(65)], ['a b'], ['a/b'], ['é'], [null], [{}], [1.5], [true]])(
    'rejects %j with 400 INVALID_VALUE',
    (value) => {
      let caught: unknown;
      try {
        customServiceId({ service_id: value }, true);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ApiError);
      expect(caught).toMatchObject({ status: 400, code: 'INVALID_VALUE' });
      expect((caught as Error).message).toContain("'service_id'");
    },
  );
});

describe('isDuplicateKeyError', () => {
  const mysql = {
    code: 'ER_DUP_ENTRY',
    message: "Duplicate entry '1-x' for key 'uq_services_tenant_id'",
  };
  const sqlite = {
    code: 'SQLITE_CONSTRAINT_UNIQUE',
    message: 'UNIQUE constraint failed: services.tenant, services.service_id',
  };

  it('recognises mysql2 and better-sqlite3 errors, raw or wrapped by TypeORM', () => {
    expect(isDuplicateKeyError(mysql, SERVICE_ID_INDEX)).toBe(true);
    expect(isDuplicateKeyError(sqlite, SERVICE_ID_INDEX)).toBe(true);
    expect(isDuplicateKeyError({ message: 'query failed', driverError: mysql }, SERVICE_ID_INDEX)).toBe(true);
    expect(isDuplicateKeyError({ message: 'query failed', driverError: sqlite }, SERVICE_ID_INDEX)).toBe(
      true,
    );
  });

  it('rejects other errors and other unique indexes', () => {
    expect(isDuplicateKeyError(new Error('boom'))).toBe(false);
    expect(isDuplicateKeyError(undefined)).toBe(false);
    expect(isDuplicateKeyError({ code: 'ER_LOCK_DEADLOCK' })).toBe(false);
    expect(
      isDuplicateKeyError({ code: 'ER_DUP_ENTRY', message: "for key 'other_index'" }, SERVICE_ID_INDEX),
    ).toBe(false);
    expect(
      isDuplicateKeyError(
        { code: 'SQLITE_CONSTRAINT_UNIQUE', message: 'UNIQUE constraint failed: states.x' },
        SERVICE_ID_INDEX,
      ),
    ).toBe(false);
  });
});
