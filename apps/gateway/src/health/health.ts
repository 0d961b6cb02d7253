import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, methodNotAllowed, routeNotFound } from '@cs/platform/core';
import { probe } from '../http/fetch-json';
import { fail, isReadMethod, READ_METHODS, sendJson } from '../http/respond';
import { UPSTREAMS } from '@cs/contracts';
import type { UpstreamOrigins } from '../upstreams';

export const HEALTH_PATH = '/health';

/**
 * `/health/live`: the gateway process answers (no dependency, so a down service never restarts the
 * gateway). `/health/ready` and `/health`: both services answer their own readiness probe, so a load
 * balancer only sends traffic to a gateway that can serve every route. Those two answer 503 once
 * the gateway is shutting down; liveness stays 200.
 */
export function createHealthHandler(origins: UpstreamOrigins, draining: () => boolean = () => false) {
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const route = path.length > HEALTH_PATH.length && path.endsWith('/') ? path.slice(0, -1) : path;
    if (route !== '/health' && route !== '/health/live' && route !== '/health/ready') {
      return fail(req, res, routeNotFound(req.method ?? 'GET', path));
    }
    if (!isReadMethod(req)) return fail(req, res, methodNotAllowed(req.method ?? '', path, READ_METHODS));
    if (route === '/health/live') return sendJson(res, 200, { status: 'ok' });
    if (draining()) {
      const error = new ApiError(503, 'SHUTTING_DOWN', 'Not ready: shutting down', undefined, {
        'Retry-After': '1',
      });
      return fail(req, res, error);
    }

    const states = await Promise.all(UPSTREAMS.map((name) => probe(`${origins[name]}/health/ready`)));
    const down = UPSTREAMS.filter((_, i) => !states[i]);
    if (down.length > 0) {
      const error = new ApiError(503, 'NOT_READY', notReadyMessage(down), undefined, { 'Retry-After': '1' });
      return fail(req, res, error);
    }
    sendJson(res, 200, { status: 'ok', gms: 'up', ucs: 'up' });
  };
}

function notReadyMessage(down: readonly string[]): string {
  return down.length === 1
    ? `Not ready: upstream ${down[0]} is down`
    : `Not ready: upstreams ${down.join(' and ')} are down`;
}
