import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errorBody } from './api-error';

export const MAX_BODY_BYTES = 1024 * 1024;
export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

/** Writes the unified error body on a raw node response (used outside Nest's filter chain). */
export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  error: ApiError,
  defaultException: string,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(errorBody(error, req.method ?? 'GET', req.url ?? '/', defaultException));
  res.statusCode = error.status;
  for (const [name, value] of Object.entries(error.headers ?? {})) res.setHeader(name, value);
  res.setHeader('Content-Type', JSON_CONTENT_TYPE);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** True when the request announces a body (content-length > 0 or chunked). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}

/** JSON media types: application/json and application/*+json, any parameters. */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  const type = contentType.split(';', 1)[0].trim().toLowerCase();
  return type === '' || type === 'application/json' || /^application\/[a-z0-9.+-]*\+json$/.test(type);
}

export const unsupportedMediaType = (contentType: string): ApiError =>
  new ApiError(
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    `Unsupported Content-Type '${contentType.slice(0, 100)}': request bodies must be application/json`,
  );

export const payloadTooLarge = (): ApiError =>
  new ApiError(413, 'PAYLOAD_TOO_LARGE', `Request body exceeds the limit of ${MAX_BODY_BYTES} bytes`);

/** 405 with the `Allow` header listing what the path does serve. */
export const methodNotAllowed = (method: string, path: string, allowed: readonly string[]): ApiError =>
  new ApiError(
    405,
    'METHOD_NOT_ALLOWED',
    `Method ${method.toUpperCase()} is not allowed on ${path.slice(0, 300)}`,
    undefined,
    {
      Allow: allowed.join(', '),
    },
  );

export const routeNotFound = (method: string, path: string): ApiError =>
  new ApiError(404, 'ROUTE_NOT_FOUND', `No route for ${method.toUpperCase()} ${path.slice(0, 300)}`);

/** Maps the errors of body-parser (raw-body) to API errors; undefined when it is not one of them. */
export function bodyParserError(error: unknown): ApiError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { type?: string; message?: string };
  switch (e.type) {
    case 'entity.parse.failed':
      return new ApiError(400, 'MALFORMED_JSON', `Invalid JSON body: ${(e.message ?? '').slice(0, 200)}`);
    case 'entity.too.large':
      return payloadTooLarge();
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported request body encoding or charset');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new ApiError(400, 'MALFORMED_JSON', 'The request body could not be read');
    default:
      return undefined;
  }
}
