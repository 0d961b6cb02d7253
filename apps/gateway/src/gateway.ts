import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  answerClientErrorsWithJson,
  closeConnectionsAfterResponses,
  createLogger,
  drainHttpServer,
  GMS_EXCEPTION,
  pathOf,
  requireHostHeader,
  UCS_EXCEPTION,
} from '@cs/platform/core';
import type { Logger } from '@cs/platform/core';
import type { GatewayEnv } from './config/gateway-env';
import { createDocsHandler } from './docs/docs';
import { createHealthHandler } from './health/health';
import { createGatewayMetrics } from './metrics/gateway-metrics';
import { createUpstreamProxy } from './proxy/upstream-proxy';
import { createRequestHandler } from './request-handler';
import { routeFor } from '@cs/contracts';
import { createSecurityGuard, securityFrom } from './security/guard';
import { originsFrom } from './upstreams';

export interface RunningGateway {
  server: http.Server;
  /** Where the gateway can be reached locally, e.g. http://127.0.0.1:8080. */
  url: string;
  /** Shutdown begins: `/health/ready` answers 503 and responses close their connections; still serving. */
  beginDraining(): void;
  /** Stops accepting, lets in-flight requests finish (at most `timeoutMs`), then releases the upstream connections. */
  close(timeoutMs?: number): Promise<void>;
}

const DEFAULT_CLOSE_TIMEOUT_MS = 10000;

/** Builds and starts the gateway. main.ts and the e2e tests both come through here. */
export async function startGateway(
  env: GatewayEnv,
  logger: Logger = createLogger('gateway', env.LOG_LEVEL),
): Promise<RunningGateway> {
  const origins = originsFrom(env);
  const timeout = env.GATEWAY_UPSTREAM_TIMEOUT_MS;
  let draining = false;
  const proxies = {
    gms: createUpstreamProxy('gms', origins.gms, timeout, logger, env.GATEWAY_MAX_BODY_BYTES),
    ucs: createUpstreamProxy('ucs', origins.ucs, timeout, logger, env.GATEWAY_MAX_BODY_BYTES),
  };
  const exceptionFor = (uri: string) =>
    routeFor(pathOf(uri), env.CS_BASE_PATH) === 'ucs' ? UCS_EXCEPTION : GMS_EXCEPTION;
  // Node's own refusal of a request without Host has an empty body: ours carries the unified one.
  const handler = createRequestHandler({
    basePath: env.CS_BASE_PATH,
    proxies,
    health: createHealthHandler(origins, () => draining),
    docs: createDocsHandler(origins),
    metrics: createGatewayMetrics(),
    logger,
    guard: createSecurityGuard(securityFrom(env)),
    maxBodyBytes: env.GATEWAY_MAX_BODY_BYTES,
  });
  const server = http.createServer({ requireHostHeader: false }, requireHostHeader(handler, exceptionFor));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.GATEWAY_PORT, env.GATEWAY_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = localUrl(server.address() as AddressInfo);
  logger.info({ url, gms: origins.gms, ucs: origins.ucs, base_path: env.CS_BASE_PATH }, 'started');

  closeConnectionsAfterResponses(server, () => draining);
  // Errors Node would answer itself carry the exception of the service owning the path, as every
  // gateway error does (http/respond.ts).
  answerClientErrorsWithJson(server, exceptionFor);

  let closing: Promise<void> | undefined;
  const close = (timeoutMs = DEFAULT_CLOSE_TIMEOUT_MS) =>
    (closing ??= drainHttpServer(server, timeoutMs).then((drained) => {
      if (!drained) logger.warn({ timeout_ms: timeoutMs }, 'in-flight requests cut after the timeout');
      proxies.gms.close();
      proxies.ucs.close();
    }));
  const beginDraining = () => {
    draining = true;
  };

  return { server, url, beginDraining, close };
}

function localUrl(address: AddressInfo): string {
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
