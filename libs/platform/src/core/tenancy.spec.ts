import { ApiError } from './api-error';
import { parseTenantList, resolveTenant, type TenancyConfig } from './tenancy';

const open: TenancyConfig = { defaultTenant: '1', requireTenant: false };
const listed: TenancyConfig = {
  defaultTenant: '1',
  requireTenant: false,
  tenants: parseTenantList('1:default,101:Acme'),
};

function failure(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('resolveTenant', () => {
  it('uses the default tenant without headers, or refuses when a tenant is required', () => {
    expect(resolveTenant({}, open)).toBe('1');
    const error = failure(() => resolveTenant({}, { ...open, requireTenant: true }));
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      "Invalid tenant specified : no tenant specified in multi-tenant environment. Verify configuration and 'ContactCenterId' HTTP header.",
    );
  });

  it('accepts any id as its own partition when no tenant list is configured', () => {
    expect(resolveTenant({ contactCenterId: '0101' }, open)).toBe('101');
    expect(resolveTenant({ contactCenterId: 'acme' }, open)).toBe('acme');
    expect(resolveTenant({ tenantId: '7' }, open)).toBe('7');
  });

  it('resolves listed tenants by id or by name (case-insensitive)', () => {
    expect(resolveTenant({ contactCenterId: 'acme' }, listed)).toBe('101');
    expect(resolveTenant({ contactCenterId: '101' }, listed)).toBe('101');
    expect(resolveTenant({ tenantId: '101' }, listed)).toBe('101');
  });

  it('refuses unknown tenants with the documented message', () => {
    const error = failure(() => resolveTenant({ contactCenterId: 'nope' }, listed));
    expect(error).toMatchObject({ status: 400, code: 'INVALID_TENANT' });
    expect(error.message).toBe(
      "Invalid tenant specified : specified tenant in HTTP header 'ContactCenterId'='nope' not configured. Verify configuration.",
    );
    expect(failure(() => resolveTenant({ tenantId: '5' }, listed)).status).toBe(400);
  });

  it('refuses a non-integer X-Genesys-TenantId and two headers naming different tenants', () => {
    expect(failure(() => resolveTenant({ tenantId: 'abc' }, open)).code).toBe('INVALID_TENANT');
    expect(failure(() => resolveTenant({ contactCenterId: '1', tenantId: '101' }, listed)).code).toBe(
      'INVALID_TENANT',
    );
    expect(resolveTenant({ contactCenterId: 'acme', tenantId: '101' }, listed)).toBe('101');
  });

  it('refuses over-long partition names', () => {
    expect(failure(() => resolveTenant({ contactCenterId: 'x'.repeat(65) }, open)).status).toBe(400);
  });
});

describe('parseTenantList', () => {
  it.each(['', 'acme', '1:a,1:b', 'x:acme'])('rejects %p', (value) =>
    expect(() => parseTenantList(value)).toThrow(),
  );
});
