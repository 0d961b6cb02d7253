import type { IncomingMessage } from 'node:http';
import { pathOf } from '../../core/api-error';

/** The `route` label of requests whose path no route serves (bounded cardinality: never the raw path). */
export const UNMATCHED_ROUTE = 'unmatched';

interface RouteLayer {
  route?: { path: unknown };
  match(path: string): boolean;
}

export interface RoutedApp {
  router?: { stack: RouteLayer[] };
}

/**
 * The route template a request was served by (`/genesys/1/cs/services/:service_id`). Express sets
 * `req.route` when a route ran; a request answered before routing (415, 400 on a body) or a 405 has
 * none, and is put under the template its path matches, found in the router only on that rare path.
 */
export function routeTemplate(req: IncomingMessage, status: number, app: RoutedApp | undefined): string {
  const route = (req as { route?: { path?: unknown } }).route;
  if (route !== undefined && typeof route.path === 'string') return route.path;
  // 404 without a route: nothing matched the path (a matching path with another method is a 405).
  if (status === 404 || app === undefined) return UNMATCHED_ROUTE;
  const path = pathOf((req as { originalUrl?: string }).originalUrl ?? req.url ?? '/');
  for (const layer of app.router?.stack ?? []) {
    if (layer.route === undefined || typeof layer.route.path !== 'string') continue;
    try {
      if (layer.match(path)) return layer.route.path;
    } catch {
      // a malformed percent-encoding matches no route
    }
  }
  return UNMATCHED_ROUTE;
}
