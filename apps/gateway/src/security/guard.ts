import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '@cs/platform/core';
import type { GatewayEnv } from '../config/gateway-env';
import { HEALTH_PATH } from '../health/health';
import { fail, isUnder } from '../http/respond';
import { routeFor } from '@cs/contracts';
import { clientAddress } from './client-address';
import { applyCors, corsOriginsFrom } from './cors';
import type { CorsOrigins } from './cors';
import { setSecurityHeaders } from './headers';
import type { SecurityHeadersConfig } from './headers';
import { RateLimiter } from './rate-limit';

// Probes and scrapes come from the platform at a fixed pace; throttling them would fake an outage.
const UNLIMITED_PATHS = [HEALTH_PATH, '/metrics'];

export interface SecurityConfig {
  basePath: string;
  headers: SecurityHeadersConfig;
  /** Undefined: CORS off. */
  cors?: CorsOrigins;
  /** Undefined: no rate limit. */
  rateLimiter?: RateLimiter;
  /** X-Forwarded-For hops to trust when naming the client (see clientAddress). */
  trustedProxies: number;
}

export function securityFrom(env: GatewayEnv): SecurityConfig {
  return {
    basePath: env.CS_BASE_PATH,
    headers: { hstsMaxAge: env.GATEWAY_HSTS_MAX_AGE },
    cors: corsOriginsFrom(env.GATEWAY_CORS_ORIGINS),
    rateLimiter:
      env.GATEWAY_RATE_LIMIT_RPS > 0
        ? new RateLimiter(env.GATEWAY_RATE_LIMIT_RPS, env.GATEWAY_RATE_LIMIT_BURST)
        : undefined,
    trustedProxies: env.GATEWAY_TRUST_PROXY,
  };
}

/** Runs before anything else on a request; true when it has answered (CORS preflight, 429). */
export type SecurityGuard = (req: IncomingMessage, res: ServerResponse, path: string) => boolean;

/**
 * The gateway's front door: security headers on every response, then CORS (a preflight is answered
 * before the rate limit: it costs no more than a 429 would), then the per-client rate limit.
 */
export function createSecurityGuard(config: SecurityConfig): SecurityGuard {
  const { rateLimiter } = config;
  return (req, res, path) => {
    setSecurityHeaders(res, path, config.headers);
    if (config.cors && applyCors(req, res, config.cors)) return true;
    if (!rateLimiter || UNLIMITED_PATHS.some((prefix) => isUnder(path, prefix))) return false;

    const waitSeconds = rateLimiter.take(clientAddress(req, config.trustedProxies));
    if (waitSeconds === 0) return false;
    fail(req, res, tooManyRequests(waitSeconds), routeFor(path, config.basePath));
    return true;
  };
}

export const tooManyRequests = (retryAfterSeconds: number): ApiError =>
  new ApiError(
    429,
    'TOO_MANY_REQUESTS',
    `Too many requests from this client: retry after ${retryAfterSeconds} s`,
    undefined,
    { 'Retry-After': String(retryAfterSeconds) },
  );
