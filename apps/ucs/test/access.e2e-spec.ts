/**
 * `cview/use-role` in ucs (spec §2.2: off by default; Basic auth; Administrator writes, Administrator or
 * Supervisor reads; 401 / 403 in the error body of §2.7), through the gateway. Users are configured
 * with scrypt hashes (UCS_USERS), never plain passwords.
 */
import request from 'supertest';
import { DataSource } from 'typeorm';
import { expectErrorResponse, testBackends } from '@cs/testing';
import { hashPassword } from '@cs/platform/core';
import { startUcs, type StartedUcs } from './start-ucs';

const BASE = '/genesys/1/cs';
/** Spelled out (spec §2.7 example) rather than imported, so that a wrong constant in the app fails here. */
const UCS_EXCEPTION = 'com.genesyslab.cs.ucs.ProfileException';
const REALM = 'Basic realm="Context Services"';

const expectError = (
  res: request.Response,
  expected: { status: number; code: string; method: string; uri: string; message?: unknown },
) => expectErrorResponse(res, { ...expected, exception: UCS_EXCEPTION });

describe.each(testBackends().map((b) => [b.name, b] as const))('ucs access control (%s)', (_, backend) => {
  describe('§2.2 off by default', () => {
    let ucs: StartedUcs;

    beforeAll(async () => {
      ucs = await startUcs(backend);
    });

    afterAll(async () => {
      await ucs?.close();
    });

    it('reads and writes need no credentials', async () => {
      const created = await request(ucs.url).post(`${BASE}/profiles`).send({ FirstName: 'Open' });
      expect(created.status).toBe(201);
      const id = (created.body as { customer_id: string }).customer_id;
      expect((await request(ucs.url).get(`${BASE}/profiles/${id}`)).status).toBe(200);
    });
  });

  describe('§2.2 UCS_USE_ROLE=true with UCS_USERS', () => {
    let ucs: StartedUcs;
    const password = { admin: 'admin-pw', super: 'super-pw', none: 'none-pw' };

    beforeAll(async () => {
      ucs = await startUcs(backend, {
        UCS_USE_ROLE: 'true',
        UCS_USERS: [
          `admin:${hashPassword(password.admin)}:Administrator`,
          `super:${hashPassword(password.super)}:Supervisor`,
          `none:${hashPassword(password.none)}:`,
        ].join(','),
      });
    });

    afterAll(async () => {
      await ucs?.close();
    });

    type User = keyof typeof password;
    type Method = 'get' | 'post' | 'put' | 'delete';
    const call = (method: Method, path: string, user?: User, body?: object) => {
      let req = request(ucs.url)[method](`${BASE}${path}`);
      if (user !== undefined) req = req.auth(user, password[user]);
      return body === undefined ? req : req.send(body);
    };

    async function createAsAdmin(FirstName: string): Promise<string> {
      const res = await call('post', '/profiles', 'admin', { FirstName });
      expect(res.status).toBe(201);
      return (res.body as { customer_id: string }).customer_id;
    }

    async function countProfiles(): Promise<number> {
      const rows = (await ucs.app.get(DataSource).query('SELECT COUNT(*) AS n FROM profiles')) as {
        n: number | string;
      }[];
      return Number(rows[0].n);
    }

    it('401 with WWW-Authenticate and the ucs error body without credentials, for reads and writes', async () => {
      const attempts: [string, string, request.Test][] = [
        ['GET', '/profiles/0000000000000000', call('get', '/profiles/0000000000000000')],
        ['GET', '/metadata/profiles', call('get', '/metadata/profiles')],
        ['POST', '/profiles', call('post', '/profiles', undefined, { FirstName: 'Anon' })],
        ['GET', '/server/status', call('get', '/server/status')],
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

    it('401 with a wrong password, an unknown user or malformed credentials', async () => {
      const path = `${BASE}/metadata/profiles`;
      const attempts = [
        request(ucs.url).get(path).auth('admin', 'wrong'),
        request(ucs.url).get(path).auth('stranger', password.admin),
        request(ucs.url).get(path).set('Authorization', 'Basic not-base64!'),
        request(ucs.url).get(path).set('Authorization', 'Bearer abc'),
      ];
      for (const attempt of attempts) {
        const res = await attempt;
        expect(res.headers['www-authenticate']).toBe(REALM);
        expectError(res, { status: 401, code: 'UNAUTHORIZED', method: 'GET', uri: path });
      }
    });

    it('Administrator reads and writes', async () => {
      const id = await createAsAdmin('Admin');
      expect((await call('get', `/profiles/${id}`, 'admin')).status).toBe(200);
      expect((await call('put', `/profiles/${id}`, 'admin', { FirstName: 'Changed' })).status).toBe(200);
      expect((await call('get', '/server/status', 'admin')).status).toBe(200);
      expect((await call('delete', `/profiles/${id}`, 'admin')).status).toBe(200);
    });

    it('Supervisor reads (GET and HEAD) but gets 403 on every write, which changes nothing', async () => {
      const id = await createAsAdmin('Kept');
      const other = await createAsAdmin('Other');
      const read = await call('get', `/profiles/${id}`, 'super');
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ customer_id: id, FirstName: 'Kept' });
      expect((await call('get', '/metadata/identification-keys', 'super')).status).toBe(200);
      expect(
        (await request(ucs.url).head(`${BASE}/profiles/${id}`).auth('super', password.super)).status,
      ).toBe(200);
      const before = await countProfiles();
      const writes: [string, string, request.Test][] = [
        ['POST', '/profiles', call('post', '/profiles', 'super', { FirstName: 'Nope' })],
        ['PUT', `/profiles/${id}`, call('put', `/profiles/${id}`, 'super', { FirstName: 'Nope' })],
        ['DELETE', `/profiles/${id}`, call('delete', `/profiles/${id}`, 'super')],
        ['PUT', `/profiles/${id}/merge/${other}`, call('put', `/profiles/${id}/merge/${other}`, 'super', {})],
        ['POST', '/server/mode', call('post', '/server/mode', 'super', { mode: 'maintenance' })],
      ];
      for (const [method, path, attempt] of writes) {
        expectError(await attempt, {
          status: 403,
          code: 'FORBIDDEN',
          method,
          uri: `${BASE}${path}`,
          message: "User 'super' may not perform WRITE operations: role Administrator required",
        });
      }
      expect(await countProfiles()).toBe(before);
      expect((await call('get', `/profiles/${id}`, 'admin')).body).toMatchObject({ FirstName: 'Kept' });
      expect((await call('get', `/profiles/${other}`, 'admin')).status).toBe(200);
      expect((await call('get', '/server/status', 'admin')).body).toEqual({ mode: 'production' });
    });

    it('a 401 write changes nothing', async () => {
      const before = await countProfiles();
      expect((await call('post', '/profiles', undefined, { FirstName: 'Anon' })).status).toBe(401);
      expect((await request(ucs.url).post(`${BASE}/profiles`).auth('admin', 'wrong').send({})).status).toBe(
        401,
      );
      expect(await countProfiles()).toBe(before);
    });

    it('a user without roles may not even read', async () => {
      expectError(await call('get', '/metadata/profiles', 'none'), {
        status: 403,
        code: 'FORBIDDEN',
        method: 'GET',
        uri: `${BASE}/metadata/profiles`,
        message: "User 'none' may not perform READ operations: role Administrator or Supervisor required",
      });
    });

    it('routing errors (404, 405) and 415 come before 401', async () => {
      expect((await call('get', '/no/such/route')).status).toBe(404);
      expect((await request(ucs.url).patch(`${BASE}/profiles/abc`).send({})).status).toBe(405);
      const text = await request(ucs.url)
        .post(`${BASE}/profiles`)
        .set('Content-Type', 'text/plain')
        .send('FirstName=x');
      expect(text.status).toBe(415);
    });

    it('server mode 503 comes before 401 (spec §4: mode gating first)', async () => {
      const path = '/metadata/profiles/extensions';
      const res = await call('post', path, undefined, {
        name: 'Anon',
        type: 'single-valued',
        attributes: [],
      });
      expectError(res, { status: 503, code: 'WRONG_SERVER_MODE', method: 'POST', uri: `${BASE}${path}` });
    });

    it('401 before 403 before tenant errors', async () => {
      const headers = { 'X-Genesys-TenantId': 'not-a-number' };
      const uri = `${BASE}/profiles`;
      const anonymous = await call('post', '/profiles', undefined, { FirstName: 'T' }).set(headers);
      expectError(anonymous, { status: 401, code: 'UNAUTHORIZED', method: 'POST', uri });
      const supervisor = await call('post', '/profiles', 'super', { FirstName: 'T' }).set(headers);
      expectError(supervisor, { status: 403, code: 'FORBIDDEN', method: 'POST', uri });
      const admin = await call('post', '/profiles', 'admin', { FirstName: 'T' }).set(headers);
      expectError(admin, { status: 400, code: 'INVALID_TENANT', method: 'POST', uri });
    });

    it('health endpoints need no credentials', async () => {
      expect((await request(ucs.directUrl).get('/health/live')).status).toBe(200);
      expect((await request(ucs.directUrl).get('/health/ready')).status).toBe(200);
    });
  });
});
