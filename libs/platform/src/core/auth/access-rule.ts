import { ApiError } from '../api-error';
import { CREDENTIALS_BUSY, type CredentialChecker } from './credentials';
import type { Role, UserAccount } from './users';

/** What `cview/use-role` checks: whether it is on, and the configured users by name. */
export interface AccessControl {
  useRole: boolean;
  users: ReadonlyMap<string, UserAccount>;
}

export const BASIC_REALM = 'Basic realm="Context Services"';
/** Reads need Administrator or Supervisor, writes need Administrator (gms spec §1.9, ucs spec §2.2). */
const READ_ROLES: readonly Role[] = ['Administrator', 'Supervisor'];
const WRITE_ROLES: readonly Role[] = ['Administrator'];
const READ_METHODS = new Set(['GET', 'HEAD']);

/** Whether `path` (no query string) is the base path or below it: the routes access control covers. */
export function isUnderBasePath(path: string, basePath: string): boolean {
  return path === basePath || path.startsWith(`${basePath}/`);
}

/**
 * The user the `Authorization` header authenticates, when that user's roles allow `method` (GET and
 * HEAD read, every other method writes). Throws 401 (with WWW-Authenticate) or 403 as ApiErrors, so
 * each service answers them with its own unified error body; 503 (Retry-After) when the checker is
 * too busy to verify the password.
 */
export async function authorize(
  checker: CredentialChecker,
  method: string,
  header: string | undefined,
): Promise<UserAccount> {
  const user = await checker.authenticate(header);
  if (user === CREDENTIALS_BUSY) {
    // Not a 401: the credentials may well be right, they just could not be checked now.
    throw new ApiError(
      503,
      'SERVICE_UNAVAILABLE',
      'Too many credential checks in progress; retry later',
      undefined,
      {
        'Retry-After': '1',
      },
    );
  }
  if (!user) {
    throw new ApiError(
      401,
      'UNAUTHORIZED',
      header
        ? 'Invalid user name or password'
        : 'Authentication required: send the credentials of a Context Services user (HTTP Basic)',
      undefined,
      { 'WWW-Authenticate': BASIC_REALM },
    );
  }
  const write = !READ_METHODS.has(method.toUpperCase());
  const needed = write ? WRITE_ROLES : READ_ROLES;
  if (!needed.some((role) => user.roles.has(role))) {
    throw new ApiError(
      403,
      'FORBIDDEN',
      `User '${user.name}' may not perform ${write ? 'WRITE' : 'READ'} operations: role ${needed.join(' or ')} required`,
    );
  }
  return user;
}
