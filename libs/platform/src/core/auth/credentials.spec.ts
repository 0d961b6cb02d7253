import { basicCredentials, CredentialChecker, CREDENTIALS_BUSY } from './credentials';
import { hashPassword, type PasswordHash } from './password-hash';
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
    expect(await checker.authenticate(basic('alice:wonder'))).toMatchObject({ name: 'alice' });
    expect(await checker.authenticate(basic('alice:wonder'))).toMatchObject({ name: 'alice' });
  });

  it('refuses a wrong password, an unknown user or no header', async () => {
    await expect(checker.authenticate(basic('alice:land'))).resolves.toBeUndefined();
    await expect(checker.authenticate(basic('bob:wonder'))).resolves.toBeUndefined();
    await expect(checker.authenticate(undefined)).resolves.toBeUndefined();
  });
});

describe('CredentialChecker cache and cap', () => {
  const users = parseUsers(
    `alice:${hashPassword('wonder')}:Supervisor,bob:${hashPassword('builder')}:Administrator`,
  );
  const aliceHash = users.get('alice')?.hash as PasswordHash;
  /** A stand-in for scrypt: right when the password is 'wonder' for alice's hash or 'builder' for bob's. */
  const fakeVerify = () =>
    jest.fn(
      async (password: string, hash: PasswordHash) =>
        password === (hash === aliceHash ? 'wonder' : 'builder'),
    );

  it('verifies a header once, then answers from the cache until it expires', async () => {
    let now = 0;
    const verify = fakeVerify();
    const checker = new CredentialChecker(users, { verify, now: () => now, successTtlMs: 60_000 });
    for (let i = 0; i < 3; i++)
      expect(await checker.authenticate(basic('alice:wonder'))).toMatchObject({ name: 'alice' });
    expect(verify).toHaveBeenCalledTimes(1);
    now = 60_000;
    expect(await checker.authenticate(basic('alice:wonder'))).toMatchObject({ name: 'alice' });
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it('remembers a failure for a short while only', async () => {
    let now = 0;
    const verify = fakeVerify();
    const checker = new CredentialChecker(users, { verify, now: () => now, failureTtlMs: 5000 });
    expect(await checker.authenticate(basic('alice:land'))).toBeUndefined();
    expect(await checker.authenticate(basic('alice:land'))).toBeUndefined();
    expect(await checker.authenticate(basic('nobody:x'))).toBeUndefined();
    expect(await checker.authenticate(basic('nobody:x'))).toBeUndefined();
    expect(verify).toHaveBeenCalledTimes(2);
    now = 4999;
    expect(await checker.authenticate(basic('alice:land'))).toBeUndefined();
    expect(verify).toHaveBeenCalledTimes(2);
    now = 5000;
    expect(await checker.authenticate(basic('alice:land'))).toBeUndefined();
    expect(verify).toHaveBeenCalledTimes(3);
  });

  it('keeps at most successLimit headers, dropping the least recently used', async () => {
    const verify = fakeVerify();
    const checker = new CredentialChecker(users, { verify, successLimit: 2 });
    const a = basic('alice:wonder');
    const b = basic('bob:builder');
    const a2 = `${a} `; // the same credentials, another header: its own entry
    await checker.authenticate(a);
    await checker.authenticate(b);
    await checker.authenticate(a); // a is now the most recently used
    await checker.authenticate(a2); // evicts b
    expect(verify).toHaveBeenCalledTimes(3);
    await checker.authenticate(a);
    expect(verify).toHaveBeenCalledTimes(3);
    await checker.authenticate(b);
    expect(verify).toHaveBeenCalledTimes(4);
  });

  it("runs at most maxActive checks, queues maxWaiting more and answers 'busy' beyond", async () => {
    const pending: Array<() => void> = [];
    const verify = jest.fn(() => new Promise<boolean>((resolve) => pending.push(() => resolve(true))));
    const checker = new CredentialChecker(users, { verify, maxActive: 2, maxWaiting: 3 });
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    /** Lets every check run to the end, the queued ones included. */
    const settle = async () => {
      for (await tick(); pending.length; await tick()) pending.shift()?.();
    };
    const cached = checker.authenticate(basic('alice:cached'));
    await settle();
    await expect(cached).resolves.toMatchObject({ name: 'alice' });

    const admitted = [1, 2, 3, 4, 5].map((i) => checker.authenticate(basic(`alice:pw${i}`)));
    await tick();
    expect(verify).toHaveBeenCalledTimes(3); // 'cached' + two running, three waiting
    await expect(checker.authenticate(basic('alice:pw6'))).resolves.toBe(CREDENTIALS_BUSY);
    // A header already verified needs no check, so it is answered even now.
    await expect(checker.authenticate(basic('alice:cached'))).resolves.toMatchObject({ name: 'alice' });

    await settle();
    for (const result of await Promise.all(admitted)) expect(result).toMatchObject({ name: 'alice' });
    expect(verify).toHaveBeenCalledTimes(6);
    // The queue drained: new checks are admitted again.
    const later = checker.authenticate(basic('alice:pw7'));
    await settle();
    await expect(later).resolves.toMatchObject({ name: 'alice' });
  });
});
