import { once } from 'node:events';
import { connect } from 'node:net';
import request from 'supertest';
import { createLogger, GMS_EXCEPTION, loadEnv, MAX_BODY_BYTES, UCS_EXCEPTION } from '@cs/platform/core';
import { GatewayEnv } from '../src/config/gateway-env';
import { startGateway } from '../src/gateway';
import type { RunningGateway } from '../src/gateway';
import { closedPort, FakeUpstream } from './support/fake-upstream';
import type { Echo } from './support/fake-upstream';
import { rawRequest } from './support/raw-request';

const BASE = '/genesys/1/cs';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const silent = createLogger('gateway', 'silent');

/**
 * The unified error body of ARCHITECTURE §5, as the gateway writes it: on a ucs path with the ucs
 * `exception`, elsewhere with the GMS one.
 */
function errorBody(status: number, code: string, method: string, uri: string, message: string | RegExp) {
  return {
    message: typeof message === 'string' ? message : expect.stringMatching(message),
    exception: uri.startsWith(`${BASE}/profiles`) ? UCS_EXCEPTION : GMS_EXCEPTION,
    code,
    status,
    http_method: method,
    uri,
  };
}

function expectErrorBody(body: unknown, expected: ReturnType<typeof errorBody>): void {
  expect(body).toEqual(expected);
  expect(Object.keys(body as object).sort()).toEqual([
    'code',
    'exception',
    'http_method',
    'message',
    'status',
    'uri',
  ]);
}

describe('gateway (e2e)', () => {
  const gms = new FakeUpstream('gms');
  const ucs = new FakeUpstream('ucs');
  let gateway: RunningGateway;
  /** gms is down (closed port) and upstreams get 300 ms to answer. */
  let degraded: RunningGateway;

  beforeAll(async () => {
    await Promise.all([gms.start(), ucs.start()]);
    gateway = await startGateway(
      loadEnv(GatewayEnv, {
        GATEWAY_PORT: '0',
        GATEWAY_HOST: '127.0.0.1',
        GMS_URL: gms.url,
        UCS_URL: ucs.url,
      }),
      silent,
    );
    degraded = await startGateway(
      loadEnv(GatewayEnv, {
        GATEWAY_PORT: '0',
        GATEWAY_HOST: '127.0.0.1',
        GMS_URL: `http://127.0.0.1:${await closedPort()}`,
        UCS_URL: ucs.url,
        GATEWAY_UPSTREAM_TIMEOUT_MS: '300',
      }),
      silent,
    );
  });

  afterAll(async () => {
    await Promise.all([gateway?.close(), degraded?.close()]);
    await Promise.all([gms.stop(), ucs.stop()]);
  });

  describe('routing (ARCHITECTURE §4)', () => {
    it.each([
      ['GET', '/services/S1/interactions?limit=5&offset=0', 'ucs'],
      ['GET', '/customers/CUST-1/interactions?tenant=x', 'ucs'],
      ['GET', '/interactions/I-1/plain_text', 'ucs'],
      ['POST', '/profiles', 'ucs'],
      ['GET', '/profiles?Devices.serial=SN-0001&include_profile=yes', 'ucs'],
      ['PUT', '/profiles/P1/extensions/Devices/by/unique', 'ucs'],
      ['GET', '/metadata/identification-keys/', 'ucs'],
      ['POST', '/server/mode', 'ucs'],
      ['POST', '/services/start', 'gms'],
      ['GET', '/services/anonymous/%2B33155550123/active?service_types=PasswordReset,Billing', 'gms'],
      ['DELETE', '/services/42-6f1c2d3e', 'gms'],
      ['POST', '/customers/CUST-1/services/42-6f1c2d3e', 'gms'],
      ['GET', '/customers/CUST-1/services/completed?extensions=*', 'gms'],
      ['POST', '/maintenance/purge', 'gms'],
    ])('%s %s → %s, path, query, headers and body unchanged', async (method, path, upstream) => {
      const body = method === 'POST' || method === 'PUT' ? JSON.stringify({ name: 'Ann', note: 'é✓' }) : '';
      let call = request(gateway.url)
        [method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](`${BASE}${path}`)
        .set('ContactCenterId', 'acme')
        .set('X-Genesys-TenantId', '101')
        .set('X-Custom', 'kept as is');
      if (body) call = call.set('Content-Type', 'application/json;charset=UTF-8').send(body);
      const response = await call;

      expect(response.status).toBe(200);
      expect(response.headers['x-upstream']).toBe(upstream);
      const echo = response.body as Echo;
      expect(echo).toMatchObject({ upstream, method, url: `${BASE}${path}`, body });
      expect(echo.headers).toMatchObject({
        contactcenterid: 'acme',
        'x-genesys-tenantid': '101',
        'x-custom': 'kept as is',
        host: new URL(gateway.url).host, // changeOrigin is off
      });
      if (body) {
        expect(echo.headers['content-type']).toBe('application/json;charset=UTF-8');
        expect(echo.headers['content-length']).toBe(String(Buffer.byteLength(body)));
      }
    });

    it('passes upstream answers through untouched, errors included', async () => {
      const response = await request(gateway.url).get(`${BASE}/profiles/missing`);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ upstream: 'ucs', url: `${BASE}/profiles/missing` });
    });

    it('streams a chunked body: the upstream sees the first chunk before the client sends the rest', async () => {
      const path = `${BASE}/services/start`;
      const response = await rawRequest(gateway.url, {
        method: 'POST',
        path,
        headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
        write: async (req) => {
          const firstChunkArrived = once(gms.events, 'chunk');
          req.write('{"first":');
          await firstChunkArrived; // a buffering gateway would never get here
          req.end('"second"}');
        },
      });
      expect(response.status).toBe(200);
      const echo = JSON.parse(response.body) as Echo;
      expect(echo).toMatchObject({ upstream: 'gms', url: path, body: '{"first":"second"}' });
      expect(echo.headers['transfer-encoding']).toBe('chunked');
      expect(echo.headers['content-length']).toBeUndefined();
    });
  });

  describe('requests Node would refuse with an empty body (issue 7 fuzz)', () => {
    it.each([
      ['GET /genesys/1/cs/profiles/P1 HTTP/1.1\r\n\r\n', 400, 'MALFORMED_REQUEST', UCS_EXCEPTION],
      [
        'POST /genesys/1/cs/services/start HTTP/1.1\r\nHost: h\r\nExpect: teapot\r\nContent-Length: 0\r\n\r\n',
        417,
        'EXPECTATION_FAILED',
        GMS_EXCEPTION,
      ],
    ])('%j → %d with the unified body', async (text, status, code, exception) => {
      const { port } = new URL(gateway.url);
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.end(text));
        let received = '';
        socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
        socket.on('close', () => resolve(received));
        socket.on('error', reject);
      });
      expect(answer).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      expect(JSON.parse(answer.split('\r\n\r\n')[1])).toMatchObject({ code, status, exception });
    });
  });

  describe('path forwarded byte for byte (issue 7 fuzz)', () => {
    it.each([
      ['/interactions//plain_text', 'ucs'],
      ["/profiles/a'b^c|d", 'ucs'],
      ['/services/S1//end?x=%zz', 'gms'],
    ])('%s reaches %s as sent', async (path, upstream) => {
      const response = await rawRequest(gateway.url, { method: 'GET', path: `${BASE}${path}` });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toMatchObject({ upstream, url: `${BASE}${path}` });
    });
  });

  describe('request id', () => {
    it('generates one, forwards it and returns it', async () => {
      const response = await request(gateway.url).get(`${BASE}/profiles/P1`);
      const id = response.headers['x-request-id'];
      expect(id).toMatch(UUID);
      expect((response.body as Echo).headers['x-request-id']).toBe(id);
    });

    it('keeps a valid one sent by the client', async () => {
      const response = await request(gateway.url)
        .get(`${BASE}/services/S1`)
        .set('X-Request-Id', 'ivr-42.call:7');
      expect(response.headers['x-request-id']).toBe('ivr-42.call:7');
      expect((response.body as Echo).headers['x-request-id']).toBe('ivr-42.call:7');
    });

    it('replaces an unsafe one', async () => {
      const response = await request(gateway.url)
        .get(`${BASE}/services/S1`)
        .set('X-Request-Id', 'has spaces; and more');
      expect(response.headers['x-request-id']).toMatch(UUID);
      expect((response.body as Echo).headers['x-request-id']).toBe(response.headers['x-request-id']);
    });

    it('is set on the gateway’s own errors too', async () => {
      const response = await request(gateway.url).get('/nowhere').set('X-Request-Id', 'abc-1');
      expect(response.headers['x-request-id']).toBe('abc-1');
    });
  });

  describe('no route → 404', () => {
    it.each([
      ['GET', '/nowhere'],
      ['GET', `${BASE}`],
      ['GET', `${BASE}/unknown/thing`],
      ['GET', `${BASE}${BASE}/services/S1/states`],
      ['POST', `${BASE}${BASE}/customers/C1/services/S1`],
      ['GET', `${BASE}/customers/C1`],
      ['GET', '/docs/secret.txt'],
      ['GET', '/health/other'],
    ])('%s %s', async (method, path) => {
      const before = gms.received.length + ucs.received.length;
      const response = await request(gateway.url)[method.toLowerCase() as 'get' | 'post'](`${path}?q=1`);
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toBe('application/json;charset=UTF-8');
      expectErrorBody(
        response.body,
        errorBody(404, 'ROUTE_NOT_FOUND', method, path, `No route for ${method} ${path}`),
      );
      expect(gms.received.length + ucs.received.length).toBe(before);
    });
  });

  describe('requests the HTTP parser rejects (issue 7 fuzz)', () => {
    it.each([`${BASE}/profiles/P1`, `${BASE}/services/S1`])(
      'headers over 16 KiB on %s → 431 with the exception of the service owning the path',
      async (path) => {
        const response = await request(gateway.url).get(path).set('ContactCenterId', 't'.repeat(20_000));
        expect(response.status).toBe(431);
        expectErrorBody(
          response.body,
          errorBody(
            431,
            'HEADERS_TOO_LARGE',
            'GET',
            path,
            'The request line and headers exceed the 16 KiB limit',
          ),
        );
      },
    );
  });

  describe('body limit', () => {
    it('answers 413 to a Content-Length over 1 MiB without contacting the upstream', async () => {
      const path = `${BASE}/profiles`;
      const before = ucs.received.length;
      const response = await rawRequest(gateway.url, {
        method: 'POST',
        path,
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(MAX_BODY_BYTES + 1) },
        write: (req) => {
          req.write('{"big":'); // announced, never completed: the gateway answers from the headers
        },
      });
      expect(response.status).toBe(413);
      expect(response.headers.connection).toBe('close');
      expectErrorBody(
        JSON.parse(response.body),
        errorBody(
          413,
          'PAYLOAD_TOO_LARGE',
          'POST',
          path,
          `Request body exceeds the limit of ${MAX_BODY_BYTES} bytes`,
        ),
      );
      expect(ucs.received.length).toBe(before);
    });

    it('lets exactly 1 MiB through', async () => {
      const body = JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES - 10) });
      expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES);
      const response = await request(gateway.url)
        .post(`${BASE}/profiles`)
        .set('Content-Type', 'application/json')
        .send(body);
      expect(response.status).toBe(200);
      expect((response.body as Echo).body.length).toBe(MAX_BODY_BYTES);
    });
  });

  describe('upstream failures', () => {
    it('503 with Retry-After when the upstream port is closed', async () => {
      const path = `${BASE}/services/start`;
      const response = await request(degraded.url)
        .post(`${path}?x=1`)
        .set('Content-Type', 'application/json')
        .send('{}');
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
      expect(response.headers['x-request-id']).toMatch(UUID);
      expectErrorBody(
        response.body,
        errorBody(503, 'UPSTREAM_UNAVAILABLE', 'POST', path, 'The gms service is unavailable'),
      );
    });

    it('still serves the other upstream', async () => {
      const response = await request(degraded.url).get(`${BASE}/profiles/P1`);
      expect(response.status).toBe(200);
      expect((response.body as Echo).upstream).toBe('ucs');
    });

    it('504 when the upstream never answers', async () => {
      const path = `${BASE}/profiles/hang`;
      const response = await request(degraded.url).get(path);
      expect(response.status).toBe(504);
      expectErrorBody(
        response.body,
        errorBody(504, 'UPSTREAM_TIMEOUT', 'GET', path, 'The ucs service did not answer in time'),
      );
    });

    it('504 also for a client that waited for 100-continue', async () => {
      const path = `${BASE}/profiles/hang`;
      const response = await rawRequest(degraded.url, {
        method: 'PUT',
        path,
        headers: { 'Content-Type': 'application/json', 'Content-Length': '2', Expect: '100-continue' },
        write: (req) => {
          req.once('continue', () => req.end('{}'));
        },
      });
      expect(response.status).toBe(504);
      expectErrorBody(
        JSON.parse(response.body),
        errorBody(504, 'UPSTREAM_TIMEOUT', 'PUT', path, 'The ucs service did not answer in time'),
      );
    });

    it('502 when the upstream answers something that is not HTTP', async () => {
      const path = `${BASE}/services/S1/garbage`;
      const response = await request(gateway.url).get(path);
      expect(response.status).toBe(502);
      expectErrorBody(
        response.body,
        errorBody(502, 'BAD_GATEWAY', 'GET', path, 'The gms service sent an invalid response'),
      );
    });
  });

  describe('health', () => {
    it('/health/live answers without asking the upstreams', async () => {
      const response = await request(degraded.url).get('/health/live');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ok' });
    });

    it.each(['/health/ready', '/health'])('%s is 200 when both upstreams are ready', async (path) => {
      const response = await request(gateway.url).get(path);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ok', gms: 'up', ucs: 'up' });
    });

    it('/health/ready is 503 when an upstream is unreachable', async () => {
      const response = await request(degraded.url).get('/health/ready');
      expect(response.status).toBe(503);
      expectErrorBody(
        response.body,
        errorBody(503, 'NOT_READY', 'GET', '/health/ready', 'Not ready: upstream gms is down'),
      );
    });

    it('/health is 503 when an upstream reports not ready', async () => {
      ucs.ready = false;
      try {
        const response = await request(gateway.url).get('/health');
        expect(response.status).toBe(503);
        expectErrorBody(
          response.body,
          errorBody(503, 'NOT_READY', 'GET', '/health', 'Not ready: upstream ucs is down'),
        );
      } finally {
        ucs.ready = true;
      }
    });

    it('refuses writes with 405', async () => {
      const response = await request(gateway.url).post('/health/live');
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD');
      expectErrorBody(
        response.body,
        errorBody(
          405,
          'METHOD_NOT_ALLOWED',
          'POST',
          '/health/live',
          'Method POST is not allowed on /health/live',
        ),
      );
    });
  });

  describe('graceful close', () => {
    it('stops accepting, lets the in-flight request finish, then resolves', async () => {
      const closing = await startGateway(
        loadEnv(GatewayEnv, {
          GATEWAY_PORT: '0',
          GATEWAY_HOST: '127.0.0.1',
          GMS_URL: gms.url,
          UCS_URL: ucs.url,
        }),
        silent,
      );
      const arrived = once(ucs.events, 'held');
      const inFlight = request(closing.url)
        .get(`${BASE}/profiles/P1/held`)
        .then((response) => response);
      await arrived;

      const closed = closing.close();
      await expect(fetch(`${closing.url}/health/live`)).rejects.toThrow();
      ucs.release();

      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ upstream: 'ucs', released: true });
      await expect(closed).resolves.toBeUndefined();
      expect(closing.server.listening).toBe(false);
    });
  });

  describe('docs', () => {
    it('/docs serves Swagger UI pointing at the merged document', async () => {
      const response = await request(gateway.url).get('/docs');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.text).toContain("url: '/docs/openapi.json'");
      expect(response.text).toContain('/docs/swagger-ui-bundle.js');
      expect(response.text).not.toContain('petstore');
    });

    it.each([
      ['/docs/swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
      ['/docs/swagger-ui.css', 'text/css; charset=utf-8'],
    ])('serves %s from swagger-ui-dist', async (path, type) => {
      const response = await request(gateway.url).get(path).buffer(true);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe(type);
      expect(Number(response.headers['content-length'])).toBeGreaterThan(1000);
    });

    it('/docs/openapi.json merges both services', async () => {
      const response = await request(gateway.url).get('/docs/openapi.json');
      expect(response.status).toBe(200);
      expect(response.body.info.title).toBe('Context Services');
      expect(Object.keys(response.body.paths).sort()).toEqual([
        '/genesys/1/cs/profiles',
        '/genesys/1/cs/services',
        '/health/live',
      ]);
      expect(Object.keys(response.body.components.schemas).sort()).toEqual([
        'ErrorBodyDto',
        'gmsSchema',
        'ucsSchema',
      ]);
      expect(response.body.tags).toEqual([{ name: 'services' }, { name: 'health' }, { name: 'profiles' }]);
      expect(response.body['x-unavailable']).toBeUndefined();
    });

    it('/docs/openapi.json names an unavailable service and keeps the rest', async () => {
      const response = await request(degraded.url).get('/docs/openapi.json');
      expect(response.status).toBe(200);
      expect(response.body['x-unavailable']).toEqual(['gms']);
      expect(Object.keys(response.body.paths).sort()).toEqual(['/genesys/1/cs/profiles', '/health/live']);
    });
  });
});
