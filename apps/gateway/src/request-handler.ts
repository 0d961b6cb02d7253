import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { internalError, pathOf, REQUEST_ID_HEADER, requestIdFrom, routeNotFound } from '@cs/platform/core';
import type { Logger } from '@cs/platform/core';
import { DOCS_PATH } from './docs/docs';
import { HEALTH_PATH } from './health/health';
import { METRICS_PATH, type GatewayMetrics } from './metrics/gateway-metrics';
import { fail, isUnder } from './http/respond';
import { bodyTooLarge, declaresTooLargeBody } from './proxy/body-limit';
import type { UpstreamProxy } from './proxy/upstream-proxy';
import { routeFor } from '@cs/contracts';
import type { Upstream } from '@cs/contracts';
import type { SecurityGuard } from './security/guard';

type LocalHandler = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>;

export interface RequestHandlerDeps {
  basePath: string;
  proxies: Record<Upstream, UpstreamProxy>;
  health: LocalHandler;
  docs: LocalHandler;
  /** Prometheus metrics of the gateway (metrics/gateway-metrics.ts); also serves `/metrics`. */
  metrics: GatewayMetrics;
  logger: Logger;
  /** Security headers, CORS and the rate limit (security/guard.ts); answers some requests itself. */
  guard: SecurityGuard;
  /** GATEWAY_MAX_BODY_BYTES: a larger declared Content-Length is refused with 413. */
  maxBodyBytes: number;
}

/**
 * Every request: a request id (kept when the client sent a safe one, forwarded upstream and echoed),
 * one access-log line, then health, docs, the route table or 404. Bodies are never read here.
 */
export function createRequestHandler(deps: RequestHandlerDeps): RequestListener {
  const { basePath, proxies, logger } = deps;

  const local = (handler: LocalHandler, req: IncomingMessage, res: ServerResponse, path: string) =>
    handler(req, res, path).catch((error: unknown) => {
      logger.error({ request_id: req.headers[REQUEST_ID_HEADER], err: error }, 'gateway endpoint failed');
      fail(req, res, internalError());
    });

  return (req, res) => {
    deps.metrics.begin(res);
    const started = process.hrtime.bigint();
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader('X-Request-Id', requestId);
    // The query string is left out of the log: it can carry customer data (phone numbers, e-mails).
    const path = pathOf(req.url ?? '/');
    res.once('close', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        {
          request_id: requestId,
          method: req.method,
          path,
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
        },
        'request',
      );
    });

    if (deps.guard(req, res, path)) return;
    if (isUnder(path, HEALTH_PATH)) return void local(deps.health, req, res, path);
    if (isUnder(path, DOCS_PATH)) return void local(deps.docs, req, res, path);
    if (path === METRICS_PATH) return void local(deps.metrics.serve, req, res, path);

    const upstream = routeFor(path, basePath);
    if (!upstream) return fail(req, res, routeNotFound(req.method ?? 'GET', path));
    deps.metrics.routed(res, upstream);
    if (declaresTooLargeBody(req, deps.maxBodyBytes)) {
      // Closing the connection spares us reading (and discarding) the oversized body.
      res.setHeader('Connection', 'close');
      return fail(req, res, bodyTooLarge(deps.maxBodyBytes), upstream);
    }
    proxies[upstream].forward(req, res);
  };
}
