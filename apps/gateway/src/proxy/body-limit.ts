import type { IncomingMessage } from 'node:http';
import { MAX_BODY_BYTES } from '@cs/platform/core';

/**
 * True when the request announces a body over the limit. Only the declared length is checked: the
 * gateway never reads bodies, so chunked bodies stream through and the services enforce the limit.
 */
export function declaresTooLargeBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return length !== undefined && Number(length) > MAX_BODY_BYTES;
}
