import {
  STATUS_CODES,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError, errorBody } from './api-error';
import { JSON_CONTENT_TYPE, sendError } from './http-errors';

/** Longest request target echoed as `uri` (an over-long URL is the usual reason for a 431). */
const MAX_URI_ECHO = 2048;

/**
 * Node answers some requests on its own, with an empty body: those its HTTP parser rejects (request
 * line + headers over 16 KiB → 431, a malformed request line → 400), an `Expect` other than
 * 100-continue (417) and CONNECT (the socket is just closed). This writes the unified error body
 * instead (ARCHITECTURE §5: every 4xx/5xx is JSON); raw-socket answers close the connection.
 */
export function answerClientErrorsWithJson(server: Server, exceptionFor: (uri: string) => string): void {
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const { method, uri } = requestLine(error.rawPacket);
    endWithError(socket, clientApiError(error.code), method, uri, exceptionFor(uri));
  });
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const expectation = String(req.headers.expect).slice(0, 80);
    const error = new ApiError(417, 'EXPECTATION_FAILED', `Unsupported Expect header '${expectation}'`);
    sendError(req, res, error, exceptionFor(req.url ?? '/'));
  });
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    const uri = (req.url ?? '/').slice(0, MAX_URI_ECHO);
    const error = new ApiError(405, 'METHOD_NOT_ALLOWED', 'Method CONNECT is not allowed');
    endWithError(socket, error, 'CONNECT', uri, exceptionFor(uri));
  });
}

/**
 * A request listener that refuses an HTTP/1.1 request without `Host` (RFC 9112 §3.2) with the
 * unified body. For a server created with `requireHostHeader: false`, since Node's own refusal has
 * an empty body.
 */
export function requireHostHeader(
  handler: RequestListener,
  exceptionFor: (uri: string) => string,
): RequestListener {
  return (req, res) => {
    if (req.httpVersion === '1.1' && req.headers.host === undefined) {
      res.setHeader('Connection', 'close');
      const error = new ApiError(400, 'MALFORMED_REQUEST', 'An HTTP/1.1 request must carry a Host header');
      return sendError(req, res, error, exceptionFor(req.url ?? '/'));
    }
    return handler(req, res);
  };
}

function endWithError(socket: Duplex, error: ApiError, method: string, uri: string, exception: string): void {
  const body = JSON.stringify(errorBody(error, method, uri, exception));
  socket.end(
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}\r\n` +
      `Content-Type: ${JSON_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
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
