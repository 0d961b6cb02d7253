import { Transform } from 'class-transformer';
import { IsBoolean } from 'class-validator';
import { loadEnv } from '../env';
import { toBool } from '../common-env';
import { hashPassword } from './password-hash';
import { accessControlFrom, IsUsersVariable } from './users-env';

class AppEnv {
  @Transform(toBool)
  @IsBoolean()
  APP_USE_ROLE: boolean = false;

  @IsUsersVariable('APP_USE_ROLE')
  APP_USERS?: string = undefined;
}

const problems = (source: Record<string, string>) => {
  try {
    loadEnv(AppEnv, source);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('IsUsersVariable and accessControlFrom', () => {
  const users = `admin:${hashPassword('a')}:Administrator`;

  it('is off with no users by default', () => {
    const env = loadEnv(AppEnv, {});
    expect(accessControlFrom(env.APP_USE_ROLE, env.APP_USERS)).toEqual({ useRole: false, users: new Map() });
  });

  it('reads the users', () => {
    const env = loadEnv(AppEnv, { APP_USE_ROLE: 'true', APP_USERS: users });
    const access = accessControlFrom(env.APP_USE_ROLE, env.APP_USERS);
    expect(access.useRole).toBe(true);
    expect([...access.users.keys()]).toEqual(['admin']);
  });

  it('needs users when the role check is on, and checks a set value even when it is off', () => {
    expect(problems({ APP_USE_ROLE: 'true' })).toContain(
      'APP_USERS (unset): must list at least one user when APP_USE_ROLE=true',
    );
    expect(problems({ APP_USE_ROLE: 'true', APP_USERS: '[]' })).toContain(
      'must list at least one user when APP_USE_ROLE=true',
    );
    expect(problems({ APP_USERS: 'admin:secret:Administrator' })).toContain('the hash must be scrypt');
    expect(problems({ APP_USERS: '[]' })).toBe('');
  });
});
