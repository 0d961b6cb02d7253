import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError, errorBody } from './api-error';
import { JSON_CONTENT_TYPE } from './http-errors';

/** Longest request target echoed as `uri` (an over-long URL is the usual reason for a 431). */
const MAX_URI_ECHO = 2048;

/**
 * Node answers requests its HTTP parser rejects (request line + headers over 16 KiB → 431, a
 * malformed request line → 400) on its own, with an empty body. This writes the unified error
 * body instead (ARCHITECTURE §5: every 4xx/5xx is JSON), then closes the connection.
 */
export function answerClientErrorsWithJson(server: Server, exceptionFor: (uri: string) => string): void {
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const apiError = clientApiError(error.code);
    const { method, uri } = requestLine(error.rawPacket);
    const body = JSON.stringify(errorBody(apiError, method, uri, exceptionFor(uri)));
    socket.end(
      `HTTP/1.1 ${apiError.status} ${STATUS_CODES[apiError.status] ?? ''}\r\n` +
        `Content-Type: ${JSON_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  });
}

function clientApiError(code: string | undefined): ApiError {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new ApiError(431, 'HEADERS_TOO_LARGE', 'The request line and headers exceed the 16 KiB limit');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'HPE_REQUEST_TIMEOUT':
      return new ApiError(408, 'REQUEST_TIMEOUT', 'The request was not received in time');
    default:
      return new ApiError(400, 'MALFORMED_REQUEST', 'The HTTP request could not be parsed');
  }
}

/** Method and target from the start of the rejected packet, as far as they can be read. */
function requestLine(packet: Buffer | undefined): { method: string; uri: string } {
  const match = /^(\S{1,20}) (\S+)/.exec(packet?.subarray(0, MAX_URI_ECHO + 32).toString('latin1') ?? '');
  return match ? { method: match[1], uri: match[2].slice(0, MAX_URI_ECHO) } : { method: 'UNKNOWN', uri: '/' };
}
