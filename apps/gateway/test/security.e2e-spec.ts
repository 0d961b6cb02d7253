import { createHash } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createLogger, GMS_EXCEPTION, loadEnv, UCS_EXCEPTION } from '@cs/platform/core';
import { GatewayEnv } from '../src/config/gateway-env';
import { startGateway } from '../src/gateway';
import type { RunningGateway } from '../src/gateway';
import { closedPort } from './support/fake-upstream';
import { rawRequest } from './support/raw-request';

const BASE = '/genesys/1/cs';
const LIMIT = 1024;
const APP_ORIGIN = 'https://desk.example.com';
const silent = createLogger('gateway', 'silent');

/**
 * A service stand-in that answers like an Express app would (X-Powered-By, Vary) and records what
 * reached it: every request that started, the body bytes per path, and requests that completed or
 * were aborted mid-body.
 */
class RecordingUpstream {
  readonly events = new EventEmitter();
  readonly started: string[] = [];
  readonly completed: string[] = [];
  readonly aborted: string[] = [];
  readonly bytes = new Map<string, number>();
  url = '';
  private readonly server = http.createServer((req, res) => this.handle(req, res));

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '/';
    if (url === '/health/ready') return void res.end('{"status":"ok"}');
    this.started.push(url);
    req.on('data', (chunk: Buffer) => {
      this.bytes.set(url, (this.bytes.get(url) ?? 0) + chunk.length);
      this.events.emit('chunk', url);
    });
    req.on('aborted', () => {
      this.aborted.push(url);
      this.events.emit('aborted', url);
    });
    req.on('end', () => {
      this.completed.push(url);
      const body = JSON.stringify({ method: req.method, url, bytes: this.bytes.get(url) ?? 0 });
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'X-Powered-By': 'Express',
        Vary: 'Accept-Encoding',
      });
      res.end(body);
    });
  }
}

function env(overrides: Record<string, string>) {
  return loadEnv(GatewayEnv, { GATEWAY_PORT: '0', GATEWAY_HOST: '127.0.0.1', ...overrides });
}

function expectSecurityHeaders(headers: http.IncomingHttpHeaders): void {
  expect(headers).toMatchObject({
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'cache-control': 'no-store',
  });
  expect(headers['x-powered-by']).toBeUndefined();
}

function expectErrorBody(body: unknown, status: number, code: string, method: string, uri: string) {
  expect(body).toEqual({
    message: expect.any(String),
    exception: uri.startsWith(`${BASE}/profiles`) ? UCS_EXCEPTION : GMS_EXCEPTION,
    code,
    status,
    http_method: method,
    uri,
  });
}

const accessControlHeaders = (headers: http.IncomingHttpHeaders) =>
  Object.keys(headers).filter((name) => name.startsWith('access-control-'));

let unique = 0;
/** A path nobody else used, so upstream records belong to one test. */
const freshPath = (prefix = '/services') => `${BASE}${prefix}/T${++unique}`;

describe('gateway security (e2e)', () => {
  const gms = new RecordingUpstream();
  const ucs = new RecordingUpstream();
  /** Defaults, except a 1 KiB body limit. */
  let gateway: RunningGateway;
  /** Rate limit 0.5/s, burst 3, one trusted proxy hop. */
  let limited: RunningGateway;
  /** The same limit keyed by the socket address only. */
  let direct: RunningGateway;
  /** CORS for APP_ORIGIN, HSTS, ucs unreachable. */
  let cors: RunningGateway;

  beforeAll(async () => {
    await Promise.all([gms.start(), ucs.start()]);
    const upstreams = { GMS_URL: gms.url, UCS_URL: ucs.url };
    const limits = { GATEWAY_RATE_LIMIT_RPS: '0.5', GATEWAY_RATE_LIMIT_BURST: '3' };
    [gateway, limited, direct, cors] = await Promise.all([
      startGateway(env({ ...upstreams, GATEWAY_MAX_BODY_BYTES: String(LIMIT) }), silent),
      startGateway(env({ ...upstreams, ...limits, GATEWAY_TRUST_PROXY: '1' }), silent),
      startGateway(env({ ...upstreams, ...limits }), silent),
      startGateway(
        env({
          GMS_URL: gms.url,
          UCS_URL: `http://127.0.0.1:${await closedPort()}`,
          GATEWAY_CORS_ORIGINS: `${APP_ORIGIN}, http://localhost:3000`,
          GATEWAY_HSTS_MAX_AGE: '600',
        }),
        silent,
      ),
    ]);
  });

  afterAll(async () => {
    await Promise.all([gateway, limited, direct, cors].map((running) => running?.close()));
    await Promise.all([gms.stop(), ucs.stop()]);
  });

  describe('security headers', () => {
    it('on a proxied answer, without the upstream banner, Vary kept', async () => {
      const response = await request(gateway.url).get(`${BASE}/services/S1`);
      expect(response.status).toBe(200);
      expectSecurityHeaders(response.headers);
      expect(response.headers.vary).toBe('Accept-Encoding');
      expect(response.headers['strict-transport-security']).toBeUndefined();
    });

    it.each([
      ['an unknown route (404)', () => request(gateway.url).get('/nowhere'), 404],
      ['an unreachable upstream (503)', () => request(cors.url).get(`${BASE}/profiles/P1`), 503],
      ['a gateway endpoint', () => request(gateway.url).get('/health/live'), 200],
      ['a refused method (405)', () => request(gateway.url).post('/health/live'), 405],
    ])('on %s', async (_, send, status) => {
      const response = await send();
      expect(response.status).toBe(status);
      expectSecurityHeaders(response.headers);
    });

    it('HSTS only when configured', async () => {
      const response = await request(cors.url).get(`${BASE}/services/S1`);
      expect(response.headers['strict-transport-security']).toBe('max-age=600');
    });

    it('/docs gets a policy that runs exactly its own inline script, and cannot be framed', async () => {
      const response = await request(gateway.url).get('/docs');
      expect(response.status).toBe(200);
      const csp = response.headers['content-security-policy'];
      const script = /<script>([\s\S]*?)<\/script>/.exec(response.text)?.[1] ?? '';
      expect(script).toContain('SwaggerUIBundle');
      const hash = createHash('sha256').update(script).digest('base64');
      expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['cache-control']).toBe('no-cache');
    });

    it('/docs assets keep their own caching', async () => {
      const response = await request(gateway.url).get('/docs/swagger-ui.css');
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('public, max-age=3600');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    });
  });

  describe('rate limit', () => {
    const burst = (url: string, path: string, client: string) =>
      Promise.all([1, 2, 3].map(() => request(url).get(path).set('X-Forwarded-For', client)));

    it('429 with Retry-After and the unified body once the burst is spent', async () => {
      const path = freshPath('/profiles');
      const passed = await burst(limited.url, path, '203.0.113.1');
      expect(passed.map((response) => response.status)).toEqual([200, 200, 200]);

      const before = ucs.started.length;
      const response = await request(limited.url).get(`${path}?q=1`).set('X-Forwarded-For', '203.0.113.1');
      expect(response.status).toBe(429);
      expect(response.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(2); // 1 token at 0.5/s
      expectErrorBody(response.body, 429, 'TOO_MANY_REQUESTS', 'GET', path);
      expectSecurityHeaders(response.headers);
      expect(ucs.started.length).toBe(before);
    });

    it('other clients are not affected', async () => {
      await burst(limited.url, freshPath(), '203.0.113.2');
      expect((await request(limited.url).get(freshPath()).set('X-Forwarded-For', '203.0.113.2')).status).toBe(
        429,
      );
      const other = await request(limited.url).get(freshPath()).set('X-Forwarded-For', '203.0.113.3');
      expect(other.status).toBe(200);
    });

    it('the client is the entry the trusted proxy appended, not what the client wrote', async () => {
      await burst(limited.url, freshPath(), '10.9.9.9, 203.0.113.4');
      const spoofed = await request(limited.url)
        .get(freshPath())
        .set('X-Forwarded-For', '10.1.1.1, 203.0.113.4');
      expect(spoofed.status).toBe(429);
    });

    it('without GATEWAY_TRUST_PROXY a changed X-Forwarded-For escapes nothing', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const response = await request(direct.url).get(freshPath()).set('X-Forwarded-For', `198.51.100.${i}`);
        statuses.push(response.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
    });

    it('/health is never limited', async () => {
      await burst(limited.url, freshPath(), '203.0.113.5');
      for (let i = 0; i < 5; i++) {
        const response = await request(limited.url).get('/health/live').set('X-Forwarded-For', '203.0.113.5');
        expect(response.status).toBe(200);
      }
    });

    it('recovers once Retry-After has passed', async () => {
      await burst(limited.url, freshPath(), '203.0.113.6');
      const refused = await request(limited.url).get(freshPath()).set('X-Forwarded-For', '203.0.113.6');
      expect(refused.status).toBe(429);
      await new Promise((resolve) => setTimeout(resolve, Number(refused.headers['retry-after']) * 1000));
      const again = await request(limited.url).get(freshPath()).set('X-Forwarded-For', '203.0.113.6');
      expect(again.status).toBe(200);
    });
  });

  describe('body limit', () => {
    it('413 for a Content-Length over the limit; the upstream never sees the request', async () => {
      const path = freshPath();
      const response = await rawRequest(gateway.url, {
        method: 'POST',
        path,
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(LIMIT + 1) },
        write: (req) => {
          req.write('{"big":'); // announced, never completed: the answer comes from the headers
        },
      });
      expect(response.status).toBe(413);
      expect(response.headers.connection).toBe('close');
      expectErrorBody(JSON.parse(response.body), 413, 'PAYLOAD_TOO_LARGE', 'POST', path);
      expect(JSON.parse(response.body).message).toBe(`Request body exceeds the limit of ${LIMIT} bytes`);
      expectSecurityHeaders(response.headers);
      expect(gms.started).not.toContain(path);
    });

    it('a Content-Length of exactly the limit passes', async () => {
      const path = freshPath();
      const response = await request(gateway.url)
        .post(path)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ pad: 'x'.repeat(LIMIT - 10) }));
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ method: 'POST', url: path, bytes: LIMIT });
    });

    it('413 for a chunked body once it passes the limit; the upstream request is aborted', async () => {
      const path = freshPath('/profiles');
      const aborted = new Promise<void>((resolve) =>
        ucs.events.on('aborted', (url: string) => url === path && resolve()),
      );
      const response = await rawRequest(gateway.url, {
        method: 'PUT',
        path,
        headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
        write: async (req) => {
          const firstArrived = once(ucs.events, 'chunk');
          req.write('x'.repeat(600));
          await firstArrived; // still streamed: the first part is upstream already
          req.write('y'.repeat(600)); // 1200 > 1024; never ended
        },
      });
      expect(response.status).toBe(413);
      expect(response.headers.connection).toBe('close');
      expectErrorBody(JSON.parse(response.body), 413, 'PAYLOAD_TOO_LARGE', 'PUT', path);
      expectSecurityHeaders(response.headers);
      await aborted;
      expect(ucs.bytes.get(path)).toBeLessThanOrEqual(LIMIT);
      expect(ucs.completed).not.toContain(path);
    });

    it('413 when the first chunk is already over the limit; no byte reaches the upstream', async () => {
      const path = freshPath();
      const response = await rawRequest(gateway.url, {
        method: 'POST',
        path,
        headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
        write: (req) => {
          req.write('z'.repeat(LIMIT * 4));
        },
      });
      expect(response.status).toBe(413);
      expectErrorBody(JSON.parse(response.body), 413, 'PAYLOAD_TOO_LARGE', 'POST', path);
      expect(gms.bytes.get(path) ?? 0).toBe(0);
      expect(gms.completed).not.toContain(path);
    });

    it('a chunked body within the limit streams through', async () => {
      const path = freshPath();
      const response = await rawRequest(gateway.url, {
        method: 'POST',
        path,
        headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
        write: (req) => {
          req.write('a'.repeat(512));
          req.end('b'.repeat(512));
        },
      });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toEqual({ method: 'POST', url: path, bytes: LIMIT });
    });
  });

  describe('CORS', () => {
    const preflight = (url: string, origin: string, path = `${BASE}/services/S1`) =>
      request(url)
        .options(path)
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'PUT')
        .set('Access-Control-Request-Headers', 'content-type,contactcenterid');

    it('off by default: no Access-Control-* headers, a preflight is routed like any OPTIONS', async () => {
      const path = freshPath();
      const response = await preflight(gateway.url, APP_ORIGIN, path);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ method: 'OPTIONS', url: path });
      expect(accessControlHeaders(response.headers)).toEqual([]);
      const simple = await request(gateway.url).get(`${BASE}/services/S1`).set('Origin', APP_ORIGIN);
      expect(accessControlHeaders(simple.headers)).toEqual([]);
    });

    it('on: a preflight from an allowed origin is answered with 204 by the gateway', async () => {
      const path = freshPath();
      const response = await preflight(cors.url, APP_ORIGIN, path);
      expect(response.status).toBe(204);
      expect(response.headers).toMatchObject({
        'access-control-allow-origin': APP_ORIGIN,
        'access-control-allow-methods': 'GET, HEAD, POST, PUT, DELETE',
        'access-control-max-age': '600',
        vary: 'Origin',
      });
      for (const name of ['Authorization', 'Content-Type', 'ContactCenterId', 'X-Request-Id'])
        expect(response.headers['access-control-allow-headers']).toContain(name);
      expect(gms.started).not.toContain(path);
    });

    it('on: an actual request from an allowed origin names it, Vary merged with the upstream one', async () => {
      const response = await request(cors.url)
        .get(`${BASE}/services/S1`)
        .set('Origin', 'http://localhost:3000');
      expect(response.status).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe('http://localhost:3000');
      expect(response.headers['access-control-expose-headers']).toContain('X-Request-Id');
      expect(response.headers.vary).toBe('Accept-Encoding, Origin');
    });

    it('on: error answers carry it too, so the browser lets the script read them', async () => {
      const response = await request(cors.url).get(`${BASE}/profiles/P1`).set('Origin', APP_ORIGIN);
      expect(response.status).toBe(503);
      expect(response.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    });

    it('on: a disallowed origin gets no CORS header, and its preflight is routed', async () => {
      const simple = await request(cors.url)
        .get(`${BASE}/services/S1`)
        .set('Origin', 'https://evil.example.com');
      expect(simple.status).toBe(200);
      expect(accessControlHeaders(simple.headers)).toEqual([]);
      expect(simple.headers.vary).toBe('Accept-Encoding, Origin');

      const path = freshPath();
      const response = await preflight(cors.url, 'https://evil.example.com', path);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ method: 'OPTIONS', url: path });
      expect(accessControlHeaders(response.headers)).toEqual([]);
    });
  });
});
