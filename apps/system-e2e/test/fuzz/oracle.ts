import { ERROR_BODY_KEYS } from '@cs/testing';
import { routeFor } from '@cs/contracts';
import type { FuzzRequest, FuzzResponse } from './http';
import { BASE } from './seeds';

/** The `exception` values of the unified error body (gms spec §2.9, ucs spec §2.7). */
const GMS_EXCEPTIONS = [
  'com.genesyslab.gsg.services.contextservices.exceptions.ContextServicesExceptionResource',
  'com.genesyslab.gsg.services.contextservices.exceptions.NotFoundException',
];
const UCS_EXCEPTIONS = ['com.genesyslab.cs.ucs.ProfileException'];

export type ServerMode = 'production' | 'maintenance';

/**
 * What is wrong with the answer to `req`, or undefined. No 5xx, except the 503 WRONG_SERVER_MODE
 * the ucs spec (§2.9) requires for a request of the class the current mode refuses; every error
 * carries exactly the six members of the unified body (ARCHITECTURE §5), as JSON.
 */
export function problemWith(req: FuzzRequest, res: FuzzResponse, mode: ServerMode): string | undefined {
  if (res.status >= 500 && !(res.status === 503 && modeRefusal(req, res, mode))) {
    return `status ${res.status}`;
  }
  if (res.status < 400) return successProblem(res);
  if (!String(res.headers['content-type']).startsWith('application/json')) {
    return `content-type ${String(res.headers['content-type'])}`;
  }
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    return 'error body is not JSON';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'error body is not an object';
  const fields = body as Record<string, unknown>;
  const keys = Object.keys(fields).sort();
  if (keys.join() !== ERROR_BODY_KEYS.join()) return `error body members ${keys.join(',')}`;
  if (fields.status !== res.status) return `body status ${String(fields.status)}`;
  if (fields.http_method !== req.method) return `body http_method ${String(fields.http_method)}`;
  const uri = req.target.split('?')[0];
  // A 431 echoes at most the first 2 KiB of an over-long target (client-errors.ts).
  const clipped = res.status === 431 && typeof fields.uri === 'string' && uri.startsWith(fields.uri);
  if (fields.uri !== uri && !clipped)
    return `body uri ${JSON.stringify(fields.uri)} instead of ${JSON.stringify(uri)}`;
  if (typeof fields.code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(fields.code))
    return `body code ${String(fields.code)}`;
  if (typeof fields.message !== 'string' || fields.message.length === 0) return 'body message empty';
  // A service's path carries its exception, wherever the error came from; unrouted paths the generic gms one.
  const owner = clipped ? upstreamOf(String(fields.uri)) : upstreamOf(req.target);
  const exceptions = owner === 'ucs' ? UCS_EXCEPTIONS : GMS_EXCEPTIONS;
  if (!exceptions.includes(fields.exception as string)) return `body exception ${String(fields.exception)}`;
  return undefined;
}

/** A success answer that says it is JSON must be JSON (a stream cut by an error is not). */
function successProblem(res: FuzzResponse): string | undefined {
  if (res.status === 204 && res.text !== '') return 'a 204 with a body';
  if (!String(res.headers['content-type']).startsWith('application/json') || res.text === '')
    return undefined;
  try {
    JSON.parse(res.text);
    return undefined;
  } catch {
    return `a ${res.status} whose JSON body does not parse`;
  }
}

/** The 503 of a ucs request the current server mode does not serve (spec §2.9 gating matrix). */
function modeRefusal(req: FuzzRequest, res: FuzzResponse, mode: ServerMode): boolean {
  if (!res.text.includes('"WRONG_SERVER_MODE"') || upstreamOf(req.target) !== 'ucs') return false;
  const path = req.target.split('?')[0].slice(BASE.length).toLowerCase();
  const schema = path.startsWith('/metadata');
  const write = !['GET', 'HEAD', 'OPTIONS'].includes(req.method);
  return mode === 'production' ? schema && write : !schema && !path.startsWith('/server');
}

/** The service the gateway routes the request to (its own route table, ARCHITECTURE §4). */
const upstreamOf = (target: string) => routeFor(target.split('?')[0], BASE);
