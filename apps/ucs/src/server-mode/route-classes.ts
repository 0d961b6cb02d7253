import { SetMetadata } from '@nestjs/common';

/**
 * How server mode treats a route (spec §2.9):
 * - `data`: profile and interaction operations, production only;
 * - `schema-write`: S2, S4, S6, S7, maintenance only (production too with CS_ALLOW_SCHEMA_WRITES_IN_PRODUCTION);
 * - `schema-read`: S1, S3, S5, S8, any mode;
 * - `control`: M1, M2 and health, any mode, and still served while the mode is switching.
 */
export type RouteClass = 'data' | 'schema-write' | 'schema-read' | 'control';

export const ROUTE_CLASS = 'ucs:route-class';

/** Overrides the path classification of one handler or controller. Routes need not use it. */
export const ServerModeClass = (routeClass: RouteClass) => SetMetadata(ROUTE_CLASS, routeClass);

/**
 * Classifies a request by method and path relative to the base path, so that every ucs route is
 * gated without opting in. Paths are compared case-insensitively, trailing slashes ignored.
 */
export function classifyRoute(method: string, path: string): RouteClass {
  const p = path.toLowerCase().replace(/\/+$/, '');
  const m = method.toUpperCase();
  if (p === '/server' || p.startsWith('/server/') || p.startsWith('/health')) return 'control';
  if (p === '/metadata' || p.startsWith('/metadata/')) {
    return m === 'GET' || m === 'HEAD' || m === 'OPTIONS' ? 'schema-read' : 'schema-write';
  }
  return 'data';
}

/** S2 (`POST /metadata/profiles/extensions`): the one schema write CS_ALLOW_SCHEMA_WRITES_IN_PRODUCTION admits. */
export function isExtensionSchemaCreate(method: string, path: string): boolean {
  return (
    method.toUpperCase() === 'POST' &&
    path.toLowerCase().replace(/\/+$/, '') === '/metadata/profiles/extensions'
  );
}
