import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { pathOf } from '../../core/api-error';
import { authorize, isUnderBasePath, type AccessControl } from '../../core/auth/access-rule';
import { CredentialChecker } from '../../core/auth/credentials';
import { SERVICE_CONFIG, type ServiceConfig } from '../service-config';

/** The app's `AccessControl` (`<APP>_USE_ROLE`, `<APP>_USERS`), provided by its root module. */
export const ACCESS_CONTROL = Symbol('ACCESS_CONTROL');

/**
 * `cview/use-role` for every route under the base path (health, metrics and docs, outside it, stay
 * open). Register it as an APP_GUARD of the app's root module, so that it runs after routing and the
 * body checks (404/405/415) and before the platform's TenantGuard: 401 → 403 → tenant errors (or 503
 * when too many password checks wait, see `authorize`). An app extends it to put its own checks
 * (e.g. gms's 503 when disabled) before authentication.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly checker: CredentialChecker;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(ACCESS_CONTROL) private readonly access: AccessControl,
  ) {
    this.checker = new CredentialChecker(access.users);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (!isUnderBasePath(pathOf(req.originalUrl ?? req.url), this.config.basePath)) return true;
    this.beforeAuthentication();
    if (!this.access.useRole) return true;
    await authorize(this.checker, req.method, req.headers.authorization);
    return true;
  }

  /** Checks of the service API that come before 401/403; throws an ApiError to refuse. */
  protected beforeAuthentication(): void {
    // Nothing by default.
  }
}
