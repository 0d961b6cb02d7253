import { basicCredentials, CredentialChecker } from './credentials';
import { hashPassword } from './password-hash';
import { parseUsers } from './users';

const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

describe('basicCredentials', () => {
  it('splits name and password at the first colon', () => {
    expect(basicCredentials(basic('alice:pa:ss'))).toEqual({ name: 'alice', password: 'pa:ss' });
    expect(basicCredentials(`basic ${Buffer.from('a:b').toString('base64')}`)).toEqual({
      name: 'a',
      password: 'b',
    });
  });

  it.each([undefined, '', 'Bearer abc', basic('nocolon'), basic(':pw'), 'Basic !!!'])(
    'refuses %j',
    (header) => {
      expect(basicCredentials(header)).toBeUndefined();
    },
  );
});

describe('CredentialChecker', () => {
  const checker = new CredentialChecker(parseUsers(`alice:${hashPassword('wonder')}:Supervisor`));

  it('authenticates a configured user with the right password, again from the cache', async () => {
    expect((await checker.authenticate(basic('alice:wonder')))?.name).toBe('alice');
    expect((await checker.authenticate(basic('alice:wonder')))?.name).toBe('alice');
  });

  it('refuses a wrong password, an unknown user or no header', async () => {
    await expect(checker.authenticate(basic('alice:land'))).resolves.toBeUndefined();
    await expect(checker.authenticate(basic('bob:wonder'))).resolves.toBeUndefined();
    await expect(checker.authenticate(undefined)).resolves.toBeUndefined();
  });
});
