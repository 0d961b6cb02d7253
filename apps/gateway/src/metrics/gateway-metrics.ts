import type { IncomingMessage, ServerResponse } from 'node:http';
import { methodNotAllowed, RequestMetrics } from '@cs/platform/core';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { fail, isReadMethod, READ_METHODS } from '../http/respond';
import type { Upstream } from '@cs/contracts';

export const METRICS_PATH = '/metrics';
/** The `upstream` label of what the gateway answers itself (health, docs, metrics, unknown paths). */
const GATEWAY = 'gateway';
/** Status recorded when the client went away before any response was sent (nginx's). */
const CLIENT_CLOSED = 499;

const STARTED = Symbol('gatewayMetricsStarted');
const UPSTREAM = Symbol('gatewayMetricsUpstream');
type TimedResponse = ServerResponse & { [STARTED]?: number; [UPSTREAM]?: string };

export interface GatewayMetrics {
  /** First thing for every request: its start time and one shared close listener (no closure per request). */
  begin(res: ServerResponse): void;
  /** The request is on a route of `upstream` (otherwise it counts as the gateway's own). */
  routed(res: ServerResponse, upstream: Upstream): void;
  /** `GET /metrics`: the Prometheus text. */
  serve(req: IncomingMessage, res: ServerResponse): Promise<void>;
  readonly registry: Registry;
}

/**
 * The gateway's Prometheus metrics (docs/operations.md): process defaults, and
 * `gateway_requests_total` / `gateway_request_duration_seconds` by upstream, method and status.
 * Its own Registry, so several gateways in one test process do not clash.
 */
export function createGatewayMetrics(): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new RequestMetrics(registry, {
    counter: 'gateway_requests_total',
    histogram: 'gateway_request_duration_seconds',
    labels: ['upstream', 'method', 'status'],
  });

  function onClose(this: TimedResponse): void {
    const started = this[STARTED];
    if (started === undefined) return;
    const status = this.headersSent ? this.statusCode : CLIENT_CLOSED;
    requests.observe(
      this[UPSTREAM] ?? GATEWAY,
      this.req.method ?? 'GET',
      status,
      (performance.now() - started) / 1000,
    );
  }

  return {
    registry,
    begin(res: TimedResponse) {
      res[STARTED] = performance.now();
      res.on('close', onClose);
    },
    routed(res: TimedResponse, upstream: Upstream) {
      res[UPSTREAM] = upstream;
    },
    async serve(req, res) {
      if (!isReadMethod(req))
        return fail(req, res, methodNotAllowed(req.method ?? '', METRICS_PATH, READ_METHODS));
      const body = await registry.metrics();
      res.statusCode = 200;
      res.setHeader('Content-Type', registry.contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}
