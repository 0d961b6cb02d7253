import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@cs/platform';
import { ApiError, pathOf } from '@cs/platform/core';
import type { Request } from 'express';
import { GMS_OPTIONS, type GmsOptions } from '../config/gms-options';
import { CredentialChecker } from './credentials';
import type { Role } from './users';

const REALM = 'Basic realm="Context Services"';
/** Spec §1.9: reads need Administrator or Supervisor, writes need Administrator. */
const READ_ROLES: readonly Role[] = ['Administrator', 'Supervisor'];
const WRITE_ROLES: readonly Role[] = ['Administrator'];
const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * `cview/enabled` and `cview/use-role` for every route of the service API (health endpoints, outside
 * the base path, stay open). Registered as an APP_GUARD of the root module, so it runs before the
 * platform's TenantGuard: routing 404/405 → 415 → 503 (disabled) → 401 → 403 → tenant errors (§2.10).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly checker: CredentialChecker;

  constructor(
    @Inject(GMS_OPTIONS) private readonly options: GmsOptions,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.checker = new CredentialChecker(options.users);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const path = pathOf(req.originalUrl ?? req.url);
    if (path !== this.config.basePath && !path.startsWith(`${this.config.basePath}/`)) return true;
    if (!this.options.enabled) {
      throw new ApiError(503, 'CONTEXT_SERVICES_DISABLED', 'Context Services is disabled on this server');
    }
    if (!this.options.useRole) return true;
    const header = req.headers.authorization;
    const user = await this.checker.authenticate(header);
    if (!user) {
      throw new ApiError(
        401,
        'UNAUTHORIZED',
        header
          ? 'Invalid user name or password'
          : 'Authentication required: send the credentials of a Context Services user (HTTP Basic)',
        undefined,
        { 'WWW-Authenticate': REALM },
      );
    }
    const write = !READ_METHODS.has(req.method.toUpperCase());
    const needed = write ? WRITE_ROLES : READ_ROLES;
    if (!needed.some((role) => user.roles.has(role))) {
      throw new ApiError(
        403,
        'FORBIDDEN',
        `User '${user.name}' may not perform ${write ? 'WRITE' : 'READ'} operations: role ${needed.join(' or ')} required`,
      );
    }
    return true;
  }
}
