import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  Inject,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { resolveTenant } from '../core/tenancy';
import { SERVICE_CONFIG, ServiceConfig } from './service-config';

const NO_TENANT = 'cs:no-tenant';
const TENANT_KEY = 'csTenant';

/** Marks operational routes (health, docs) that run outside any tenant. */
export const NoTenant = () => SetMetadata(NO_TENANT, true);

/**
 * Resolves the tenant of every HTTP request after routing (so 404/405/415 come first, as the specs'
 * precedence wants) and before validation. A route cannot run without one.
 */
@Injectable()
export class TenantGuard implements CanActivate {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(NO_TENANT, [context.getHandler(), context.getClass()]))
      return true;
    const req = context.switchToHttp().getRequest<Request & { [TENANT_KEY]?: string }>();
    req[TENANT_KEY] = resolveTenant(
      { contactCenterId: header(req, 'contactcenterid'), tenantId: header(req, 'x-genesys-tenantid') },
      this.config.tenancy,
    );
    return true;
  }
}

/** The tenant the guard resolved for this request. */
export const Tenant = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const tenant = context.switchToHttp().getRequest<Record<string, unknown>>()[TENANT_KEY];
  if (typeof tenant !== 'string') throw new Error('Tenant requested on a route without tenant resolution');
  return tenant;
});

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
