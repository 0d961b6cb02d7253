import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { answerClientErrorsWithJson, requireHostHeader } from './client-errors';

const EXCEPTION = 'test.Exception';

/** Sends `text` on a fresh connection and returns everything the server wrote back. */
function exchange(server: Server, text: string): Promise<string> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      // Enough for these tests: the status line, headers and a JSON body that ends with `}`.
      if (answer.includes('\r\n\r\n') && answer.trimEnd().endsWith('}')) socket.end();
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

function parse(answer: string) {
  const [head, body] = answer.split('\r\n\r\n');
  return {
    status: Number(head.split(' ')[1]),
    contentType: /content-type: ([^\r]+)/i.exec(head)?.[1],
    body: JSON.parse(body) as Record<string, unknown>,
  };
}

/** Requests Node answers on its own, with an empty body, before the issue 7 fuzz. */
describe('answerClientErrorsWithJson / requireHostHeader', () => {
  let server: Server;

  beforeAll(async () => {
    server = createServer(
      { requireHostHeader: false },
      requireHostHeader(
        (_req, res) => res.end('ok'),
        () => EXCEPTION,
      ),
    );
    answerClientErrorsWithJson(server, () => EXCEPTION);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    [
      'an HTTP/1.1 request without Host',
      'GET /a/b?x=1 HTTP/1.1\r\n\r\n',
      400,
      'MALFORMED_REQUEST',
      'GET',
      '/a/b',
    ],
    [
      'an Expect other than 100-continue',
      'POST /a HTTP/1.1\r\nHost: h\r\nExpect: teapot\r\nContent-Length: 0\r\n\r\n',
      417,
      'EXPECTATION_FAILED',
      'POST',
      '/a',
    ],
    [
      'CONNECT',
      'CONNECT evil:443 HTTP/1.1\r\nHost: evil:443\r\n\r\n',
      405,
      'METHOD_NOT_ALLOWED',
      'CONNECT',
      'evil:443',
    ],
    [
      'a malformed request line',
      'GET /a\u0000 HTTP/1.1\r\nHost: h\r\n\r\n',
      400,
      'MALFORMED_REQUEST',
      'GET',
      '/a\u0000',
    ],
  ])('%s → the unified error body', async (_name, text, status, code, method, uri) => {
    const answer = parse(await exchange(server, text));
    expect(answer.status).toBe(status);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(answer.body).toEqual({
      message: expect.any(String),
      exception: EXCEPTION,
      code,
      status,
      http_method: method,
      uri,
    });
  });

  it('serves HTTP/1.0 without Host and HTTP/1.1 with it', async () => {
    expect(await exchange(server, 'GET /a HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 200[\s\S]*ok$/);
    expect(await exchange(server, 'GET /a HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n')).toMatch(
      /^HTTP\/1\.1 200[\s\S]*ok$/,
    );
  });
});
