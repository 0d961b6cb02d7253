import { once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { createLogger } from '@cs/platform/core';
import { createUpstreamProxy } from './upstream-proxy';
import type { UpstreamProxy } from './upstream-proxy';

/**
 * The forwarder on its own, between a scripted upstream and a bare node:http server: what the
 * gateway e2e suite (routing, 413, 502/503/504, paths) does not reach – connections that end early
 * and the headers that belong to one connection.
 */
describe('createUpstreamProxy', () => {
  let upstreamHandler: http.RequestListener = (_req, res) => res.end();
  const upstream = http.createServer((req, res) => upstreamHandler(req, res));
  upstream.keepAliveTimeout = 65000; // as the services (platform bootstrap)
  let proxy: UpstreamProxy;
  const gateway = http.createServer((req, res) => proxy.forward(req, res));
  let gatewayPort = 0;

  const listen = async (server: http.Server) => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return (server.address() as AddressInfo).port;
  };

  /** Sends raw bytes to the gateway and resolves with everything it answers until it closes. */
  const exchange = (text: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(gatewayPort, '127.0.0.1', () => socket.write(text));
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
    });

  beforeAll(async () => {
    const upstreamPort = await listen(upstream);
    proxy = createUpstreamProxy(
      'gms',
      `http://127.0.0.1:${upstreamPort}`,
      60000, // far beyond the test timeout: no test may pass by running into it
      createLogger('gateway', 'silent'),
      1024,
    );
    gatewayPort = await listen(gateway);
  });

  afterAll(async () => {
    proxy.close();
    gateway.closeAllConnections();
    upstream.closeAllConnections();
    await Promise.all([
      new Promise((resolve) => gateway.close(resolve)),
      new Promise((resolve) => upstream.close(resolve)),
    ]);
  });

  it('passes status, status message and end-to-end headers; drops the hop-by-hop ones both ways', async () => {
    let seen: http.IncomingHttpHeaders = {};
    upstreamHandler = (req, res) => {
      seen = req.headers;
      res.writeHead(201, 'Made It', { 'Set-Cookie': ['a=1', 'b=2'], 'X-Upstream': 'yes' });
      res.end('{}');
    };
    const answer = await exchange(
      'POST /p?q=1 HTTP/1.1\r\nHost: gw\r\nConnection: close\r\nKeep-Alive: timeout=9\r\n' +
        'Proxy-Connection: close\r\nX-Client: c\r\nContent-Length: 2\r\n\r\n{}',
    );

    expect(seen).toMatchObject({ host: 'gw', 'x-client': 'c', 'content-length': '2' });
    expect(seen.connection).toBe('keep-alive'); // the pooled socket's, not the client's `close`
    expect(seen['keep-alive']).toBeUndefined();
    expect(seen['proxy-connection']).toBeUndefined();
    expect(answer).toMatch(/^HTTP\/1\.1 201 Made It\r\n/);
    expect(answer).toContain('\r\nset-cookie: a=1\r\nset-cookie: b=2\r\n');
    expect(answer).toContain('\r\nx-upstream: yes\r\n');
    // The client asked to close: the gateway does, whatever the upstream said about its own socket.
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(answer).not.toMatch(/keep-alive/i);
  });

  it('answers with the gateway’s own keep-alive timeout, not the upstream’s', async () => {
    upstreamHandler = (_req, res) => res.end('{}');
    const agent = new http.Agent({ keepAlive: true });
    try {
      const response = await new Promise<http.IncomingMessage>((resolve, reject) =>
        http.get({ port: gatewayPort, host: '127.0.0.1', path: '/p', agent }, resolve).on('error', reject),
      );
      response.resume();
      expect(response.headers.connection).toBe('keep-alive');
      expect(response.headers['keep-alive']).toBe(`timeout=${gateway.keepAliveTimeout / 1000}`);
    } finally {
      agent.destroy();
    }
  });

  it('sends an HTTP/1.0 client a chunked upstream answer unchunked, then closes', async () => {
    upstreamHandler = (_req, res) => {
      res.write('{"a":');
      res.end('1}');
    };
    const answer = await exchange('GET /p HTTP/1.0\r\nHost: gw\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer).not.toMatch(/transfer-encoding/i);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(answer.endsWith('\r\n\r\n{"a":1}')).toBe(true);
  });

  it('cuts the client’s response when the upstream dies mid-body', async () => {
    upstreamHandler = (_req, res) => {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('{"partial":', () => setTimeout(() => res.destroy(), 20));
    };
    const answer = await exchange('GET /p HTTP/1.1\r\nHost: gw\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer.endsWith('\r\n\r\n{"partial":')).toBe(true);
  });

  it('aborts the upstream request of a client that left mid-body, freeing the pooled socket', async () => {
    const client = connect(gatewayPort, '127.0.0.1', () =>
      client.write('POST /p HTTP/1.1\r\nHost: gw\r\nContent-Length: 10\r\n\r\n{"a":'),
    );
    // Never answered: only the gateway's abort closes this socket (its timeout is far off).
    await new Promise<void>((resolve) => {
      upstreamHandler = (req) => {
        req.socket.once('close', () => resolve());
        client.destroy();
      };
    });
  });
});
