import { ApiError } from '../api-error';
import { authorize, BASIC_REALM, isUnderBasePath } from './access-rule';
import { CredentialChecker, CREDENTIALS_BUSY } from './credentials';
import { hashPassword } from './password-hash';
import { parseUsers } from './users';

const basic = (name: string, password: string) =>
  `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;
const checker = new CredentialChecker(
  parseUsers(
    [
      `admin:${hashPassword('a')}:Administrator`,
      `super:${hashPassword('s')}:Supervisor`,
      `none:${hashPassword('n')}:`,
    ].join(','),
  ),
);

async function refusal(method: string, header: string | undefined): Promise<ApiError> {
  try {
    await authorize(checker, method, header);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected a refusal');
}

describe('authorize (cview/use-role)', () => {
  it('lets Administrator write and read, Supervisor read (GET, HEAD)', async () => {
    for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'])
      await expect(authorize(checker, method, basic('admin', 'a'))).resolves.toMatchObject({ name: 'admin' });
    for (const method of ['GET', 'head'])
      await expect(authorize(checker, method, basic('super', 's'))).resolves.toMatchObject({ name: 'super' });
  });

  it('401 with WWW-Authenticate without or with wrong credentials', async () => {
    const missing = await refusal('GET', undefined);
    expect(missing).toMatchObject({
      status: 401,
      code: 'UNAUTHORIZED',
      headers: { 'WWW-Authenticate': BASIC_REALM },
    });
    expect(missing.message).toContain('Authentication required');
    const wrong = await refusal('GET', basic('admin', 'x'));
    expect(wrong).toMatchObject({
      status: 401,
      code: 'UNAUTHORIZED',
      message: 'Invalid user name or password',
    });
  });

  it('403 when the roles do not allow the method; the exception is left to the service', async () => {
    const write = await refusal('POST', basic('super', 's'));
    expect(write).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
      message: "User 'super' may not perform WRITE operations: role Administrator required",
      exception: undefined,
    });
    expect((await refusal('GET', basic('none', 'n'))).message).toBe(
      "User 'none' may not perform READ operations: role Administrator or Supervisor required",
    );
  });

  it('503 with Retry-After, not 401, when the checker is too busy to verify', async () => {
    const busy = { authenticate: async () => CREDENTIALS_BUSY } as unknown as CredentialChecker;
    await expect(authorize(busy, 'GET', basic('admin', 'a'))).rejects.toMatchObject({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      headers: { 'Retry-After': '1' },
    });
  });
});

describe('isUnderBasePath', () => {
  it.each([
    ['/genesys/1/cs', true],
    ['/genesys/1/cs/profiles', true],
    ['/genesys/1/csx', false],
    ['/health/live', false],
    ['/metrics', false],
  ])('%s → %s', (path, expected) => {
    expect(isUnderBasePath(path, '/genesys/1/cs')).toBe(expected);
  });
});
