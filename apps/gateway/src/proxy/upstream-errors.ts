import { ApiError } from '@cs/platform/core';
import type { Upstream } from '@cs/contracts';

// The upstream cannot be reached at all: retrying soon (another replica, a restart) may help.
const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const TIMEOUT = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/**
 * Maps a proxying failure to the unified error (ARCHITECTURE §1: unreachable backend → 502/503/504).
 * `timedOut` is true when the gateway's own upstream timeout fired: the proxy then destroys the
 * request, which surfaces as a plain ECONNRESET. Driver text never reaches the client.
 */
export function upstreamError(upstream: Upstream, error: unknown, timedOut: boolean): ApiError {
  const code = errorCode(error);
  if (timedOut || TIMEOUT.has(code)) {
    return new ApiError(504, 'UPSTREAM_TIMEOUT', `The ${upstream} service did not answer in time`);
  }
  if (UNAVAILABLE.has(code)) {
    return new ApiError(503, 'UPSTREAM_UNAVAILABLE', `The ${upstream} service is unavailable`, undefined, {
      'Retry-After': '1',
    });
  }
  return new ApiError(502, 'BAD_GATEWAY', `The ${upstream} service sent an invalid response`);
}

export function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : '';
}
