import request from 'supertest';
import { DataSource } from 'typeorm';
import { expectErrorResponse, testBackends, waitFor } from '@cs/testing';
import { ServerModeState } from '../src/server-mode/server-mode.state';
import { startUcs, type StartedUcs } from './start-ucs';

const BASE = '/genesys/1/cs';
const UCS_EXCEPTION = 'com.genesyslab.cs.ucs.ProfileException';

type Json = Record<string, unknown>;
type Call = [method: 'get' | 'post' | 'put' | 'delete', path: string, body?: Json];

/** One operation of each row of the spec §2.9 matrix (paths relative to the base). */
const DATA_OPERATIONS: Call[] = [
  ['post', '/profiles', { FirstName: 'Maria' }],
  ['get', '/profiles?FirstName=Maria'],
  ['get', '/profiles/0000000000000000'],
  ['put', '/profiles/0000000000000000', { FirstName: 'Maria' }],
  ['delete', '/profiles/0000000000000000'],
  ['put', '/profiles/0000000000000000/merge/0000000000000001', {}],
  ['get', '/customers/0000000000000000/interactions'],
  ['get', '/services/svc/interactions'],
  ['get', '/interactions/ix'],
  ['get', '/interactions/ix/plain_text'],
  ['get', '/interactions/ix/structured_text'],
  ['get', '/interactions/ix/binary_content'],
];
const SCHEMA_READS: Call[] = [
  ['get', '/metadata'],
  ['get', '/metadata/profiles'],
  ['get', '/metadata/profiles/extensions'],
  ['get', '/metadata/identification-keys'],
];
const SCHEMA_WRITES: Call[] = [
  ['post', '/metadata/profiles/extensions', { name: 'Mode1', type: 'single-valued', attributes: [] }],
  ['delete', '/metadata/profiles/extensions/NoSuchExtension'],
  ['post', '/metadata/identification-keys', { name: 'modeKey', attributes: ['EmailAddress'] }],
  ['delete', '/metadata/identification-keys/NoSuchKey'],
];

/** Server mode (spec §2.9, §4.18 M1, §4.19 M2) and the 503s of the gating matrix. */
describe.each(testBackends().map((b) => [b.name, b] as const))('ucs server mode (%s)', (_, backend) => {
  let ucs: StartedUcs;

  beforeAll(async () => {
    ucs = await startUcs(backend, { CS_MODE_SWITCH_TIMEOUT_MS: '60000' });
  });

  afterAll(async () => {
    await ucs?.close();
  });

  afterEach(async () => {
    // Every test starts and ends in production.
    const res = await setMode('production');
    expect(res.status).toBe(200);
  });

  const send = ([method, path, body]: Call) => {
    const call = request(ucs.url)[method](`${BASE}${path}`);
    return body === undefined ? call : call.send(body);
  };
  const setMode = (mode: unknown) => request(ucs.url).post(`${BASE}/server/mode`).send({ mode });
  const status = async () => ((await request(ucs.url).get(`${BASE}/server/status`)).body as Json).mode;

  function expectWrongMode(res: request.Response, call: Call, mode: string): void {
    expectErrorResponse(res, {
      status: 503,
      code: 'WRONG_SERVER_MODE',
      method: call[0].toUpperCase(),
      uri: `${BASE}${call[1].split('?')[0]}`,
      message: expect.stringContaining(`${mode} mode`),
      exception: UCS_EXCEPTION,
    });
  }

  describe('§4.19 M2 — GET /server/status', () => {
    it('answers {"mode":"production"} after a default start', async () => {
      const res = await request(ucs.url).get(`${BASE}/server/status`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ mode: 'production' });
    });
  });

  describe('§4.18 M1 — POST /server/mode', () => {
    it('switches (case-insensitive) and answers 200 {"server changed": mode} with Location of M2', async () => {
      const res = await setMode('Maintenance');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ 'server changed': 'maintenance' });
      expect(res.headers.location).toBe(`${BASE}/server/status`);
      expect(await status()).toBe('maintenance');

      const back = await setMode('PRODUCTION');
      expect(back.status).toBe(200);
      expect(back.body).toEqual({ 'server changed': 'production' });
      expect(await status()).toBe('production');
    });

    it('setting the current mode succeeds and changes nothing', async () => {
      const res = await setMode('production');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ 'server changed': 'production' });
      expect(await status()).toBe('production');
    });

    it.each([
      ['no mode', {}, 'MISSING_PARAMETER'],
      ['a null mode', { mode: null }, 'MISSING_PARAMETER'],
      ['an unknown mode', { mode: 'standby' }, 'INVALID_PARAMETER'],
      ['a non-string mode', { mode: 1 }, 'INVALID_PARAMETER'],
    ])('answers 400 for %s and keeps the mode', async (_case, body, code) => {
      const res = await request(ucs.url).post(`${BASE}/server/mode`).send(body);
      expectErrorResponse(res, {
        status: 400,
        code,
        method: 'POST',
        uri: `${BASE}/server/mode`,
        exception: UCS_EXCEPTION,
      });
      expect(await status()).toBe('production');
    });

    it('answers 400 MALFORMED_JSON for a body that is not an object', async () => {
      const res = await request(ucs.url).post(`${BASE}/server/mode`).send(['maintenance']);
      expect(res.status).toBe(400);
      expect((res.body as Json).code).toBe('MALFORMED_JSON');
      expect(await status()).toBe('production');
    });
  });

  describe('§2.9 mode-gating matrix', () => {
    it('production: profile and interaction operations run; schema writes get 503 WRONG_SERVER_MODE naming production', async () => {
      for (const call of DATA_OPERATIONS) {
        const res = await send(call);
        expect([call, res.status]).not.toEqual([call, 503]);
      }
      for (const call of SCHEMA_WRITES) expectWrongMode(await send(call), call, 'production');
    });

    it('maintenance: profile and interaction operations get 503 WRONG_SERVER_MODE naming maintenance', async () => {
      expect((await setMode('maintenance')).status).toBe(200);
      for (const call of DATA_OPERATIONS) expectWrongMode(await send(call), call, 'maintenance');
    });

    it('maintenance: schema writes run (they reach their handler)', async () => {
      expect((await setMode('maintenance')).status).toBe(200);
      const deleteKey = await send(['delete', '/metadata/identification-keys/NoSuchKey']);
      expect(deleteKey.status).toBe(404);
      expect((deleteKey.body as Json).code).toBe('IDENTIFICATION_KEY_NOT_FOUND');
      const deleteExtension = await send(['delete', '/metadata/profiles/extensions/NoSuchExtension']);
      expect(deleteExtension.status).toBe(404);
      expect((deleteExtension.body as Json).code).toBe('EXTENSION_NOT_FOUND');
    });

    it('schema reads, M1, M2 and health answer in both modes', async () => {
      for (const mode of ['production', 'maintenance']) {
        expect((await setMode(mode)).status).toBe(200);
        for (const call of SCHEMA_READS)
          expect([mode, call, (await send(call)).status]).toEqual([mode, call, 200]);
        expect((await request(ucs.url).get(`${BASE}/server/status`)).body).toEqual({ mode });
        expect((await request(ucs.directUrl).get('/health/live')).status).toBe(200);
      }
    });

    it('routing comes first: an unknown route is 404 and a wrong method 405 in maintenance too', async () => {
      expect((await setMode('maintenance')).status).toBe(200);
      const unknown = await request(ucs.url).get(`${BASE}/profiles/a/b/c/d/e`);
      expect(unknown.status).toBe(404);
      expect((unknown.body as Json).code).toBe('ROUTE_NOT_FOUND');
      const wrongMethod = await request(ucs.url).post(`${BASE}/interactions/ix`).send({});
      expect(wrongMethod.status).toBe(405);
    });

    it('nothing changes on a refused request', async () => {
      const count = async () => {
        const rows = (await ucs.app
          .get(DataSource)
          .query("SELECT COUNT(*) AS n FROM profiles WHERE tenant = '1'")) as { n: string | number }[];
        return Number(rows[0].n);
      };
      const before = await count();
      expect((await setMode('maintenance')).status).toBe(200);
      expect((await send(['post', '/profiles', { FirstName: 'Refused' }])).status).toBe(503);
      expect(await count()).toBe(before);
      expect((await setMode('production')).status).toBe(200);
      expect((await send(['post', '/profiles', { FirstName: 'Accepted' }])).status).toBe(201);
      expect(await count()).toBe(before + 1);
    });
  });

  describe('§2.9 mode switch (A-43): drains the other class, 503 MODE_SWITCH_IN_PROGRESS meanwhile', () => {
    it('waits for an in-flight profile request before entering maintenance', async () => {
      const state = ucs.app.get(ServerModeState);
      // An in-flight data request, as the gating guard admits one, held until released below.
      const release = state.admit('data');
      const switching = setMode('maintenance').then((res) => res);
      await waitFor(
        async () => state.isSwitching(),
        5000,
        () => 'the switch did not start',
      );

      for (const call of [...DATA_OPERATIONS.slice(0, 2), ...SCHEMA_READS.slice(0, 1), SCHEMA_WRITES[3]]) {
        const res = await send(call);
        expectErrorResponse(res, {
          status: 503,
          code: 'MODE_SWITCH_IN_PROGRESS',
          method: call[0].toUpperCase(),
          uri: `${BASE}${call[1].split('?')[0]}`,
          exception: UCS_EXCEPTION,
        });
      }
      const second = await setMode('production');
      expect(second.status).toBe(503);
      expect((second.body as Json).code).toBe('MODE_SWITCH_IN_PROGRESS');
      // M2 still answers, with the mode in force until the switch completes.
      expect(await status()).toBe('production');

      release();
      const res = await switching;
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ 'server changed': 'maintenance' });
      expect(await status()).toBe('maintenance');
    });

    it('a real request finishing releases its slot: switching after traffic does not wait', async () => {
      for (let i = 0; i < 5; i++)
        expect((await send(['get', '/services/svc/interactions'])).status).toBe(200);
      expect(ucs.app.get(ServerModeState).inFlightCount('data')).toBe(0);
      const res = await setMode('maintenance');
      expect(res.status).toBe(200);
    });
  });
});

describe.each(testBackends().map((b) => [b.name, b] as const))(
  'ucs server mode settings (%s)',
  (_, backend) => {
    it('§2.9 CS_INITIAL_MODE=maintenance starts in maintenance; §4 the 503 comes before tenant errors', async () => {
      const ucs = await startUcs(backend, { CS_INITIAL_MODE: 'Maintenance' });
      try {
        expect((await request(ucs.url).get(`${BASE}/server/status`)).body).toEqual({ mode: 'maintenance' });
        expect((await request(ucs.url).get(`${BASE}/profiles/0000000000000000`)).status).toBe(503);
        // §4: mode gating is evaluated first, before the tenant header is read.
        const badTenant = await request(ucs.url)
          .get(`${BASE}/profiles/0000000000000000`)
          .set('X-Genesys-TenantId', 'abc');
        expect(badTenant.status).toBe(503);
        expect((badTenant.body as Json).code).toBe('WRONG_SERVER_MODE');
      } finally {
        await ucs.close();
      }
    });

    it('§2.9 CS_MODE_SWITCH_TIMEOUT_MS: the switch completes when the drain window ends', async () => {
      const ucs = await startUcs(backend, { CS_MODE_SWITCH_TIMEOUT_MS: '300' });
      try {
        const state = ucs.app.get(ServerModeState);
        const release = state.admit('data');
        const res = await request(ucs.url).post(`${BASE}/server/mode`).send({ mode: 'maintenance' });
        expect(res.status).toBe(200);
        expect(state.current()).toBe('maintenance');
        expect(state.inFlightCount('data')).toBe(1);
        release();
        expect(state.inFlightCount('data')).toBe(0);
      } finally {
        await ucs.close();
      }
    });

    it('A-07 CS_ALLOW_SCHEMA_WRITES_IN_PRODUCTION=true lets S2 run in production, and only S2', async () => {
      const ucs = await startUcs(backend, { CS_ALLOW_SCHEMA_WRITES_IN_PRODUCTION: 'true' });
      try {
        const s2 = await request(ucs.url)
          .post(`${BASE}/metadata/profiles/extensions`)
          .send({ name: 'Loyalty', type: 'single-valued', attributes: [{ name: 'tier', type: 'string' }] });
        expect(s2.status).toBe(201);
        const s7 = await request(ucs.url).delete(`${BASE}/metadata/identification-keys/NoSuchKey`);
        expect(s7.status).toBe(503);
        expect((s7.body as Json).code).toBe('WRONG_SERVER_MODE');
      } finally {
        await ucs.close();
      }
    });
  },
);
