import type { IncomingMessage } from 'node:http';
import { ApiError } from '@cs/platform/core';

/** 413 naming the configured limit (the services' own 413 has the same code and wording). */
export const bodyTooLarge = (maxBytes: number): ApiError =>
  new ApiError(413, 'PAYLOAD_TOO_LARGE', `Request body exceeds the limit of ${maxBytes} bytes`);

/** True when the request announces a body over the limit: refused before a byte is read. */
export function declaresTooLargeBody(req: IncomingMessage, maxBytes: number): boolean {
  const length = req.headers['content-length'];
  return length !== undefined && Number(length) > maxBytes;
}

/**
 * Counts a body that did not announce its length (chunked) as it streams to the upstream, and calls
 * `onExceeded` once when it passes `maxBytes`. Only chunked bodies are counted: node's parser never
 * reads past a declared length (checked by declaresTooLargeBody), and without either there is no body.
 *
 * The stream is paused before the counter listens, so counting does not start the flow: the proxy's
 * pipe() resumes it, and both then see every chunk in order.
 */
export function watchBodySize(req: IncomingMessage, maxBytes: number, onExceeded: () => void): void {
  if (req.headers['transfer-encoding'] === undefined || req.headers['content-length'] !== undefined) return;
  let seen = 0;
  req.pause();
  const count = (chunk: Buffer) => {
    seen += chunk.length;
    if (seen <= maxBytes) return;
    req.off('data', count);
    onExceeded();
  };
  req.on('data', count);
}
