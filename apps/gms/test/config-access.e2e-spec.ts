/**
 * Options `cview/enabled` and `cview/use-role` (spec §1.9, §1.11, §2.10 precedence), started with env
 * overrides. Users are configured with scrypt hashes (GMS_USERS), never plain passwords.
 */
import request from 'supertest';
import { DataSource } from 'typeorm';
import { expectErrorResponse, testBackends } from '@cs/testing';
import { hashPassword } from '../src/auth/password-hash';
import { startGms, type StartedGms } from './start-gms';

const BASE = '/genesys/1/cs';
/** Spelled out from spec §2.9 rather than imported, so that a wrong constant in the app fails here. */
const GMS_EXCEPTION =
  'com.genesyslab.gsg.services.contextservices.exceptions.ContextServicesExceptionResource';
const UNKNOWN_TENANT =
  "Invalid tenant specified : specified tenant in HTTP header 'ContactCenterId'='Nowhere' not configured. Verify configuration.";
const REALM = 'Basic realm="Context Services"';

const expectError = (
  res: request.Response,
  expected: { status: number; code: string; method: string; uri: string; message?: unknown },
) => expectErrorResponse(res, { ...expected, exception: GMS_EXCEPTION });

describe.each(testBackends().map((b) => [b.name, b] as const))('gms access options (%s)', (_, backend) => {
  describe('§1.11 cview/enabled = false (GMS_ENABLED=false)', () => {
    let gms: StartedGms;

    beforeAll(async () => {
      gms = await startGms(backend, { GMS_ENABLED: 'false' });
    });

    afterAll(async () => {
      await gms?.close();
    });

    it.each([
      ['POST', '/services/start', { contact_key: 'k' }],
      ['GET', '/services/0-anything', undefined],
      ['GET', '/services/anonymous/k/active', undefined],
      ['PUT', '/services/0-anything', { ttl: 60 }],
      ['DELETE', '/services/0-anything', undefined],
      ['POST', '/services/0-anything/states/start', {}],
      ['GET', '/services/0-anything/tasks', undefined],
      ['GET', '/customers/c1/services', undefined],
    ])('§1.11 %s %s answers 503 with the error body', async (method, path, body) => {
      let req = request(gms.url)[method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](`${BASE}${path}`);
      if (body !== undefined) req = req.send(body);
      const res = await req;
      expectError(res, {
        status: 503,
        code: 'CONTEXT_SERVICES_DISABLED',
        method,
        uri: `${BASE}${path}`,
        message: expect.stringContaining('disabled'),
      });
    });

    it('§1.11 stores nothing while disabled', async () => {
      await request(gms.url).post(`${BASE}/services/start`).send({ contact_key: 'kept-out' });
      const rows = (await gms.app.get(DataSource).query('SELECT COUNT(*) AS n FROM services')) as {
        n: number | string;
      }[];
      expect(Number(rows[0].n)).toBe(0);
    });

    it('§1.11 health endpoints are unaffected', async () => {
      expect((await request(gms.directUrl).get('/health/live')).status).toBe(200);
      expect((await request(gms.directUrl).get('/health/ready')).status).toBe(200);
    });

    it('§2.10 an unknown route is still 404', async () => {
      const res = await request(gms.url).get(`${BASE}/services/a/b/c/d`);
      expect(res.status).toBe(404);
    });
  });

  describe('§1.9 cview/use-role = true (GMS_USE_ROLE, GMS_USERS)', () => {
    let gms: StartedGms;
    const password = { admin: 'admin-pw', both: 'both-pw', super: 'super-pw', none: 'none-pw' };

    beforeAll(async () => {
      gms = await startGms(backend, {
        GMS_USE_ROLE: 'true',
        GMS_USERS: [
          `admin:${hashPassword(password.admin)}:Administrator`,
          `both:${hashPassword(password.both)}:Administrator|Supervisor`,
          `super:${hashPassword(password.super)}:Supervisor`,
          `none:${hashPassword(password.none)}:`,
        ].join(','),
        CS_TENANTS: '1:default,101:acme',
      });
    });

    afterAll(async () => {
      await gms?.close();
    });

    type User = keyof typeof password;
    const as = (user: User | undefined, req: request.Test) =>
      user === undefined ? req : req.auth(user, password[user]);
    const get = (path: string, user?: User) => as(user, request(gms.url).get(`${BASE}${path}`));
    const post = (path: string, body: object, user?: User) =>
      as(user, request(gms.url).post(`${BASE}${path}`).send(body));

    async function startAsAdmin(): Promise<string> {
      const res = await post('/services/start', { contact_key: 'role-test' }, 'admin');
      expect(res.status).toBe(201);
      return (res.body as { service_id: string }).service_id;
    }

    it('§1.9 without credentials: 401 with WWW-Authenticate, for reads and writes', async () => {
      const attempts: [string, string, request.Test][] = [
        ['GET', '/services/0-x', get('/services/0-x')],
        ['POST', '/services/start', post('/services/start', { contact_key: 'k' })],
      ];
      for (const [method, path, attempt] of attempts) {
        const res = await attempt;
        expect(res.headers['www-authenticate']).toBe(REALM);
        expectError(res, {
          status: 401,
          code: 'UNAUTHORIZED',
          method,
          uri: `${BASE}${path}`,
          message: expect.stringContaining('Authentication required'),
        });
      }
    });

    it('§1.9 the base path in another case reaches no handler, even straight on gms (no way around the check)', async () => {
      for (const path of ['/GENESYS/1/cs/services/start', '/Genesys/1/CS/maintenance/jobs']) {
        const res = await request(gms.directUrl).post(path).send({ contact_key: 'k' });
        expect(res.status).toBe(404);
        expect((res.body as { code: string }).code).toBe('ROUTE_NOT_FOUND');
      }
    });

    it('§1.9 wrong password, unknown user or malformed credentials: 401', async () => {
      const attempts = [
        request(gms.url).get(`${BASE}/services/0-x`).auth('admin', 'wrong'),
        request(gms.url).get(`${BASE}/services/0-x`).auth('stranger', password.admin),
        request(gms.url).get(`${BASE}/services/0-x`).set('Authorization', 'Basic not-base64!'),
        request(gms.url).get(`${BASE}/services/0-x`).set('Authorization', 'Bearer abc'),
      ];
      for (const attempt of attempts) {
        const res = await attempt;
        expect(res.headers['www-authenticate']).toBe(REALM);
        expectError(res, { status: 401, code: 'UNAUTHORIZED', method: 'GET', uri: `${BASE}/services/0-x` });
      }
    });

    it('§1.9 Administrator reads and writes', async () => {
      const id = await startAsAdmin();
      expect((await get(`/services/${id}`, 'admin')).status).toBe(200);
      expect((await post(`/services/${id}/end`, {}, 'admin')).status).toBe(204);
      expect((await as('admin', request(gms.url).delete(`${BASE}/services/${id}`))).status).toBe(200);
    });

    it('§1.9 Supervisor reads but may not write (start, end, update expiration, delete, purge)', async () => {
      const id = await startAsAdmin();
      const read = await get(`/services/${id}`, 'super');
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ service_id: id, contact_key: 'role-test' });
      const writes: [string, string, request.Test][] = [
        ['POST', `${BASE}/services/start`, post('/services/start', { contact_key: 'k' }, 'super')],
        ['POST', `${BASE}/services/${id}/end`, post(`/services/${id}/end`, {}, 'super')],
        [
          'PUT',
          `${BASE}/services/${id}`,
          as('super', request(gms.url).put(`${BASE}/services/${id}`).send({ ttl: 60 })),
        ],
        ['DELETE', `${BASE}/services/${id}`, as('super', request(gms.url).delete(`${BASE}/services/${id}`))],
        ['POST', `${BASE}/maintenance/purge`, post('/maintenance/purge', {}, 'super')],
      ];
      for (const [method, uri, attempt] of writes) {
        expectError(await attempt, {
          status: 403,
          code: 'FORBIDDEN',
          method,
          uri,
          message: "User 'super' may not perform WRITE operations: role Administrator required",
        });
      }
      const after = await get(`/services/${id}`, 'admin');
      expect(after.status).toBe(200);
      expect(after.body).not.toHaveProperty('completed');
    });

    it('§1.9 a user holding both roles reads and writes', async () => {
      expect((await post('/services/start', { contact_key: 'k' }, 'both')).status).toBe(201);
      expect((await get('/services/anonymous/k', 'both')).status).toBe(200);
    });

    it('§1.9 a user without roles may not even read', async () => {
      expectError(await get('/services/anonymous/k', 'none'), {
        status: 403,
        code: 'FORBIDDEN',
        method: 'GET',
        uri: `${BASE}/services/anonymous/k`,
        message: "User 'none' may not perform READ operations: role Administrator or Supervisor required",
      });
    });

    it('§2.10 routing errors (404, 405) and 415 come before 401', async () => {
      expect((await request(gms.url).get(`${BASE}/services/a/b/c/d`)).status).toBe(404);
      const wrongMethod = await request(gms.url).put(`${BASE}/services/0-x/end`).send({});
      expect(wrongMethod.status).toBe(405);
      const text = await request(gms.url)
        .post(`${BASE}/services/start`)
        .set('Content-Type', 'text/plain')
        .send('contact_key=k');
      expect(text.status).toBe(415);
    });

    it('§2.10 401 before 403 before tenant errors before body validation', async () => {
      const headers = { ContactCenterId: 'Nowhere' };
      const uri = `${BASE}/services/start`;
      const anonymous = await request(gms.url).post(uri).set(headers).send({});
      expectError(anonymous, { status: 401, code: 'UNAUTHORIZED', method: 'POST', uri });
      const supervisor = await post('/services/start', {}, 'super').set(headers);
      expectError(supervisor, { status: 403, code: 'FORBIDDEN', method: 'POST', uri });
      const admin = await post('/services/start', {}, 'admin').set(headers);
      expectError(admin, {
        status: 400,
        code: 'INVALID_TENANT',
        method: 'POST',
        uri,
        message: UNKNOWN_TENANT,
      });
      const valid = await post('/services/start', {}, 'admin').set({ ContactCenterId: 'acme' });
      expectError(valid, {
        status: 400,
        code: 'MISSING_FIELD',
        method: 'POST',
        uri,
        message: "Missing mandatory field 'customer_id' or 'contact_key'",
      });
    });

    it('§1.9 health endpoints need no credentials', async () => {
      expect((await request(gms.directUrl).get('/health/live')).status).toBe(200);
      expect((await request(gms.directUrl).get('/health/ready')).status).toBe(200);
    });
  });
});
