import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SERVICE_CONFIG, type ServiceConfig } from '@cs/platform';
import type { BodyGate } from '@cs/platform/core';
import type { Request, Response } from 'express';
import { classifyRoute, isExtensionSchemaCreate, ROUTE_CLASS, type RouteClass } from './route-classes';
import { ServerModeState } from './server-mode.state';

/**
 * Mode gating (spec §2.9) for every HTTP route of ucs, in one place: routes are classified by method
 * and path (or by @ServerModeClass), so a new route is gated without doing anything. Runs after
 * routing, so unknown routes still answer 404/405; message handlers are not gated.
 */
@Injectable()
export class ServerModeGuard implements CanActivate {
  constructor(
    private readonly state: ServerModeState,
    private readonly reflector: Reflector,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const path = this.relativePath(req.path);
    const routeClass =
      this.reflector.getAllAndOverride<RouteClass | undefined>(ROUTE_CLASS, [
        context.getHandler(),
        context.getClass(),
      ]) ?? classifyRoute(req.method, path);
    const release = this.state.admit(routeClass, isExtensionSchemaCreate(req.method, path));
    res.once('finish', release);
    res.once('close', release);
    return true;
  }

  private relativePath(path: string): string {
    return relativePath(this.config.basePath, path);
  }
}

/** A request path relative to the base path (the form `classifyRoute` takes). */
export function relativePath(base: string, path: string): string {
  if (path === base) return '/';
  return path.startsWith(`${base}/`) ? path.slice(base.length) : path;
}

/**
 * Spec §4: "mode gating (503) is always evaluated first, before any parsing". The HTTP pipeline
 * reads bodies before routing and guards, so it asks this gate before answering 415/413/400.
 */
export function serverModeBodyGate(state: ServerModeState, basePath: string): BodyGate {
  return (req) => {
    const path = relativePath(basePath, req.path ?? new URL(req.url ?? '/', 'http://x').pathname);
    const method = req.method ?? 'GET';
    return state.refusal(classifyRoute(method, path), isExtensionSchemaCreate(method, path));
  };
}
