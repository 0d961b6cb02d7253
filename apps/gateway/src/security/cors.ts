import type { IncomingMessage, ServerResponse } from 'node:http';

/** Origins allowed by GATEWAY_CORS_ORIGINS: any (`*`) or exactly these (lower case, no trailing slash). */
export type CorsOrigins = '*' | ReadonlySet<string>;

export const CORS_ALLOW_METHODS = 'GET, HEAD, POST, PUT, DELETE';
/** What browser clients of the API send beyond the CORS-safelisted headers. */
export const CORS_ALLOW_HEADERS =
  'Authorization, Content-Type, Accept, ContactCenterId, X-Genesys-TenantId, X-Request-Id';
/** Response headers a browser script may read besides the safelisted ones. */
export const CORS_EXPOSE_HEADERS = 'X-Request-Id, Location, Retry-After, Allow';
/** Browsers cache a preflight this long (Chrome caps it at 2 h). */
export const CORS_MAX_AGE_SECONDS = 600;

/** Parses GATEWAY_CORS_ORIGINS (already validated); undefined = CORS off. */
export function corsOriginsFrom(value: string | undefined): CorsOrigins | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (value.trim() === '*') return '*';
  return new Set(value.split(',').map((origin) => origin.trim().replace(/\/+$/, '').toLowerCase()));
}

/**
 * CORS for allowed origins: the response names the origin (and `Vary: Origin`, since it depends on
 * it); a preflight is answered here with 204. A request from any other origin gets no CORS header at
 * all (the browser then refuses it) and a preflight from it is routed like any OPTIONS request.
 * Returns true when the response has been sent.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, origins: CorsOrigins): boolean {
  res.setHeader('Vary', 'Origin');
  const origin = req.headers.origin;
  if (origin === undefined || !isAllowed(origin, origins)) return false;

  res.setHeader('Access-Control-Allow-Origin', origin);
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
    res.statusCode = 204;
    res.setHeader('Access-Control-Allow-Methods', CORS_ALLOW_METHODS);
    res.setHeader('Access-Control-Allow-Headers', CORS_ALLOW_HEADERS);
    res.setHeader('Access-Control-Max-Age', String(CORS_MAX_AGE_SECONDS));
    res.end();
    return true;
  }
  res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
  return false;
}

function isAllowed(origin: string, origins: CorsOrigins): boolean {
  // `null` is the origin of sandboxed and file:// documents: never trusted by name, even under `*`.
  if (origin === 'null') return false;
  return origins === '*' || origins.has(origin.toLowerCase());
}
