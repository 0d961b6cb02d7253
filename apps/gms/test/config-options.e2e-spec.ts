/**
 * Business attributes (spec §1.5, §1.11, §2.6), expiration options (§1.7) and custom service ids
 * (§2.5), each checked through the API of a gms started with env overrides.
 */
import request from 'supertest';
import { DataSource } from 'typeorm';
import { expectErrorResponse, testBackends } from '@cs/testing';
import { startGms, type StartedGms } from './start-gms';

const BASE = '/genesys/1/cs';
/** Spelled out from spec §2.9 rather than imported, so that a wrong constant in the app fails here. */
const GMS_EXCEPTION =
  'com.genesyslab.gsg.services.contextservices.exceptions.ContextServicesExceptionResource';
const NOT_FOUND_EXCEPTION = 'com.genesyslab.gsg.services.contextservices.exceptions.NotFoundException';
const SERVICE_ID = /^[0-9]{1,9}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DAY_MS = 86400 * 1000;

type Json = Record<string, unknown>;

const ATTRIBUTES = {
  'Service.service_type': [
    { dbid: 1, name: 'Billing', default: true },
    { dbid: 2, name: 'PasswordReset' },
    { dbid: 3, name: 'Flash', expiration: '1s' },
    { dbid: 4, name: 'Weekly', 'settings/expiration': '1w' },
  ],
  'Service.disposition': [
    { dbid: 10, name: 'Resolved', default: true },
    { dbid: 11, name: 'Abandoned' },
  ],
  'Service.media_type': [
    { dbid: 20, name: 'voice' },
    { dbid: 21, name: 'chat' },
  ],
  'State.type': [
    { dbid: 30, name: 'Identify', default: true },
    { dbid: 31, name: 'Deliver' },
  ],
  'Task.task_type': [{ dbid: 40, name: 'Lookup' }],
  'Task.disposition': [
    { dbid: 41, name: 'Found' },
    { dbid: 42, name: 'Missing' },
  ],
};
const SERVICE_TYPES = 'Billing (1), PasswordReset (2), Flash (3), Weekly (4)';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Requests against one started gms. */
function client(gms: () => StartedGms) {
  const post = (path: string, body: object = {}, headers: Record<string, string> = {}) =>
    request(gms().url).post(`${BASE}${path}`).set(headers).send(body);
  const get = (path: string, headers: Record<string, string> = {}) =>
    request(gms().url).get(`${BASE}${path}`).set(headers);
  return {
    post,
    get,
    async start(body: Json, headers: Record<string, string> = {}): Promise<string> {
      const res = await post('/services/start', body, headers);
      expect(res.status).toBe(201);
      return (res.body as { service_id: string }).service_id;
    },
    async created(path: string, body: Json, key: 'state_id' | 'task_id'): Promise<number> {
      const res = await post(path, body);
      expect(res.status).toBe(201);
      return (res.body as Record<string, number>)[key];
    },
    async read(path: string): Promise<Json> {
      const res = await get(path);
      expect(res.status).toBe(200);
      return res.body as Json;
    },
    /** The stored expiration instant (internal, never returned by the API). */
    async expiresAt(serviceId: string): Promise<number> {
      const rows = (await gms()
        .app.get(DataSource)
        .query('SELECT expires_at FROM services WHERE service_id = ?', [serviceId])) as {
        expires_at: number | string;
      }[];
      return Number(rows[0].expires_at);
    },
  };
}

const invalidValue = (method: string, uri: string, message: string) => ({
  status: 400,
  code: 'INVALID_VALUE',
  method,
  uri,
  message,
  exception: GMS_EXCEPTION,
});

describe.each(testBackends().map((b) => [b.name, b] as const))(
  'gms configuration options (%s)',
  (_, backend) => {
    describe('data-validation + map-names, GMS_EXPIRATION=1M, custom ids off', () => {
      let gms: StartedGms;
      const api = client(() => gms);

      beforeAll(async () => {
        gms = await startGms(backend, {
          GMS_BUSINESS_ATTRIBUTES: JSON.stringify(ATTRIBUTES),
          GMS_DATA_VALIDATION: 'true',
          GMS_MAP_NAMES: 'true',
          GMS_EXPIRATION: '1M',
        });
      });

      afterAll(async () => {
        await gms?.close();
      });

      it('§2.6 an unknown service_type is rejected with the valid values; nothing is stored', async () => {
        const res = await api.post('/services/start', { contact_key: 'dv-reject', service_type: 'Gold' });
        expectErrorResponse(
          res,
          invalidValue(
            'POST',
            `${BASE}/services/start`,
            `Invalid value 'Gold' for Service.service_type; valid values: ${SERVICE_TYPES}`,
          ),
        );
        expect(await api.read('/services/anonymous/dv-reject')).toEqual([]);
      });

      it('§2.6 an unknown value of a mapped event field (media_type) or an unknown id is rejected', async () => {
        const media = await api.post('/services/start', { contact_key: 'k', media_type: 'fax' });
        expectErrorResponse(
          media,
          invalidValue(
            'POST',
            `${BASE}/services/start`,
            "Invalid value 'fax' for Service.media_type; valid values: voice (20), chat (21)",
          ),
        );
        const id = await api.post('/services/start', { contact_key: 'k', service_type: 99 });
        expect(id.status).toBe(400);
        expect((id.body as Json).message).toContain("Invalid value '99' for Service.service_type");
      });

      it('§2.6 a value matches by name, DB id or numeric string', async () => {
        for (const serviceType of ['PasswordReset', 2, '2']) {
          await api.start({ contact_key: 'dv-accept', service_type: serviceType, media_type: 21 });
        }
      });

      it('§2.6 states, transitions and tasks are validated against their own lists', async () => {
        const sid = await api.start({ contact_key: 'dv-nested' });
        const stateUri = `${BASE}/services/${sid}/states/start`;
        expectErrorResponse(
          await api.post(`/services/${sid}/states/start`, { state_type: 'Billing' }),
          invalidValue(
            'POST',
            stateUri,
            "Invalid value 'Billing' for State.state_type; valid values: Identify (30), Deliver (31)",
          ),
        );
        const stateId = await api.created(`/services/${sid}/states/start`, { state_type: 31 }, 'state_id');
        const transition = await api.post(`/services/${sid}/states/transition`, {
          from: { state_id: stateId },
          to: { state_type: 'Nope' },
        });
        expect(transition.status).toBe(400);
        expect((transition.body as Json).message).toContain("Invalid value 'Nope' for State.state_type");
        const taskId = await api.created(`/services/${sid}/tasks/start`, { task_type: 'Lookup' }, 'task_id');
        const endTask = await api.post(`/services/${sid}/tasks/${taskId}/end`, { disposition: 'Lost' });
        expectErrorResponse(
          endTask,
          invalidValue(
            'POST',
            `${BASE}/services/${sid}/tasks/${taskId}/end`,
            "Invalid value 'Lost' for Task.disposition; valid values: Found (41), Missing (42)",
          ),
        );
        // Rejected requests change nothing: the state is still active, the task too.
        const state = await api.read(`/services/${sid}/states/${stateId}`);
        expect(state).not.toHaveProperty('completed');
        expect(await api.read(`/services/${sid}/tasks/${taskId}`)).not.toHaveProperty('completed');
      });

      it('§2.6 defaults: an omitted service_type, state_type or disposition receives its default', async () => {
        const sid = await api.start({ contact_key: 'dv-defaults' });
        const stateId = await api.created(`/services/${sid}/states/start`, {}, 'state_id');
        const res = await api.post(`/services/${sid}/end`, {});
        expect(res.status).toBe(204);
        const service = await api.read(`/services/${sid}?completed_states=true`);
        expect(service).toMatchObject({ service_type: 'Billing', disposition: 'Resolved' });
        expect(service.completed_states).toEqual([
          expect.objectContaining({ state_id: stateId, state_type: 'Identify' }),
        ]);
      });

      it('§1.5 map-names: reads show names for values stored as DB ids, nested and in lists', async () => {
        const sid = await api.start({ contact_key: 'mn', service_type: 2, media_type: '21' });
        await api.created(`/services/${sid}/states/start`, { state_type: 31 }, 'state_id');
        const taskId = await api.created(`/services/${sid}/tasks/start`, { task_type: 40 }, 'task_id');
        expect((await api.post(`/services/${sid}/tasks/${taskId}/end`, { disposition: 41 })).status).toBe(
          204,
        );
        const service = await api.read(`/services/${sid}?active_states=true&completed_tasks=true`);
        expect(service).toMatchObject({
          service_type: 'PasswordReset',
          started: { media_type: 'chat' },
          active_states: [{ state_type: 'Deliver' }],
          completed_tasks: [{ task_type: 'Lookup', disposition: 'Found' }],
        });
        const [listed] = (await api.read('/services/anonymous/mn')) as unknown as Json[];
        expect(listed).toMatchObject({ service_id: sid, service_type: 'PasswordReset' });
        expect(await api.read(`/services/${sid}/states`)).toEqual([
          expect.objectContaining({ state_type: 'Deliver' }),
        ]);
        expect(await api.read(`/services/${sid}/tasks/${taskId}`)).toMatchObject({
          task_type: 'Lookup',
          disposition: 'Found',
        });
        const exported = (await api.read(
          `/maintenance/services/stream?time_from=2000-01-01T00:00:00.000Z&export_content=true`,
        )) as unknown as Json[];
        expect(exported.find((item) => item.service_id === sid)).toMatchObject({
          service_type: 'PasswordReset',
          active_states: [{ state_type: 'Deliver' }],
          completed_tasks: [{ task_type: 'Lookup', disposition: 'Found' }],
        });
      });

      it('§1.7 a service type value expiration applies: a 1s service is unknown after 1.5s, others live on', async () => {
        const flash = await api.start({ contact_key: 'exp-type', service_type: 'Flash' });
        const billing = await api.start({ contact_key: 'exp-type', service_type: 1 });
        expect((await api.get(`/services/${flash}`)).status).toBe(200);
        await sleep(1500);
        expectErrorResponse(await api.get(`/services/${flash}`), {
          status: 400,
          code: 'SERVICE_NOT_FOUND',
          method: 'GET',
          uri: `${BASE}/services/${flash}`,
          message: `There are no service found for : ${flash}`,
          exception: NOT_FOUND_EXCEPTION,
        });
        expect((await api.get(`/services/${billing}`)).status).toBe(200);
      });

      it('§1.7 expiration: GMS_EXPIRATION=1M by default, settings/expiration of the type, explicit ttl wins', async () => {
        const before = Date.now();
        const plain = await api.start({ contact_key: 'exp-conf' });
        const weekly = await api.start({ contact_key: 'exp-conf', service_type: 'Weekly' });
        const ttl = await api.start({ contact_key: 'exp-conf', service_type: 'Flash', ttl: 3600 });
        const after = Date.now();
        const within = (value: number, offset: number) => {
          expect(value).toBeGreaterThanOrEqual(before + offset);
          expect(value).toBeLessThanOrEqual(after + offset);
        };
        within(await api.expiresAt(plain), 30 * DAY_MS);
        within(await api.expiresAt(weekly), 7 * DAY_MS);
        within(await api.expiresAt(ttl), 3600 * 1000);
      });

      it('§2.5 with allow-custom-ids off, a body service_id is ignored (not stored, not an extension)', async () => {
        const id = await api.start({ contact_key: 'no-custom', service_id: 'my-own-id' });
        expect(id).toMatch(SERVICE_ID);
        expect((await api.get('/services/my-own-id')).status).toBe(400);
        const service = await api.read(`/services/${id}?extensions=*`);
        expect(service.service_id).toBe(id);
      });
    });

    describe('store-names without validation, invalid GMS_EXPIRATION, custom ids on', () => {
      let gms: StartedGms;
      const api = client(() => gms);

      beforeAll(async () => {
        gms = await startGms(backend, {
          GMS_BUSINESS_ATTRIBUTES: JSON.stringify(ATTRIBUTES),
          GMS_STORE_NAMES: 'true',
          GMS_EXPIRATION: 'five years',
          GMS_ALLOW_CUSTOM_IDS: 'true',
        });
      });

      afterAll(async () => {
        await gms?.close();
      });

      it('§1.11 store-names: values given as DB ids are stored (and so read) as names', async () => {
        const sid = await api.start({ contact_key: 'sn', service_type: 2, media_type: 20 });
        expect(await api.read(`/services/${sid}`)).toMatchObject({
          service_type: 'PasswordReset',
          started: { media_type: 'voice' },
        });
      });

      it('§1.5 without data-validation, unknown values are stored as received; defaults still apply', async () => {
        const unknown = await api.start({ contact_key: 'sn', service_type: 'Gold', media_type: 77 });
        expect(await api.read(`/services/${unknown}`)).toMatchObject({
          service_type: 'Gold',
          started: { media_type: 77 },
        });
        const omitted = await api.start({ contact_key: 'sn' });
        expect(await api.read(`/services/${omitted}`)).toMatchObject({ service_type: 'Billing' });
      });

      it('§1.11 an invalid GMS_EXPIRATION falls back to 5y instead of stopping the app', async () => {
        const before = Date.now();
        const sid = await api.start({ contact_key: 'exp-fallback' });
        const after = Date.now();
        const expiresAt = await api.expiresAt(sid);
        expect(expiresAt).toBeGreaterThanOrEqual(before + 5 * 365 * DAY_MS);
        expect(expiresAt).toBeLessThanOrEqual(after + 5 * 365 * DAY_MS);
      });

      it('§2.5 allow-custom-ids: the given service_id is used; the same id again → 409, nothing changes', async () => {
        const res = await api.post('/services/start', { contact_key: 'first', service_id: 'order:42.a_b-c' });
        expect(res.status).toBe(201);
        expect(res.body).toEqual({ service_id: 'order:42.a_b-c' });
        const again = await api.post('/services/start', {
          customer_id: 'second',
          service_id: 'order:42.a_b-c',
        });
        expectErrorResponse(again, {
          status: 409,
          code: 'SERVICE_ALREADY_EXISTS',
          method: 'POST',
          uri: `${BASE}/services/start`,
          message: "Service 'order:42.a_b-c' already exists",
          exception: GMS_EXCEPTION,
        });
        const stored = await api.read('/services/order:42.a_b-c');
        expect(stored).toMatchObject({ service_id: 'order:42.a_b-c', contact_key: 'first' });
        expect(stored).not.toHaveProperty('customer_id');
      });

      it('§2.5 custom ids are unique per tenant, and a start without service_id still gets a generated id', async () => {
        await api.start({ contact_key: 'tenant-1', service_id: 'shared-id' });
        await api.start({ contact_key: 'tenant-101', service_id: 'shared-id' }, { ContactCenterId: '101' });
        expect(await api.read('/services/shared-id')).toMatchObject({ contact_key: 'tenant-1' });
        expect(await api.start({ contact_key: 'generated' })).toMatch(SERVICE_ID);
      });

      it('§2.5 custom ids are case-sensitive: Case-ID and case-id are two services', async () => {
        await api.start({ contact_key: 'upper', service_id: 'Case-ID' });
        await api.start({ contact_key: 'lower', service_id: 'case-id' });
        expect(await api.read('/services/Case-ID')).toMatchObject({ contact_key: 'upper' });
        expect(await api.read('/services/case-id')).toMatchObject({ contact_key: 'lower' });
      });

      it('§2.5 concurrent starts with one custom id: exactly one 201, the others 409', async () => {
        const results = await Promise.all(
          [1, 2, 3, 4].map((n) =>
            api.post('/services/start', { contact_key: `race-${n}`, service_id: 'race-id' }),
          ),
        );
        expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
      });

      it.each([['has space'], ['x'.repeat(65)], ['a/b'], [''], [{ id: 1 }]])(
        '§2.5 an invalid custom service_id %j → 400',
        async (serviceId) => {
          const res = await api.post('/services/start', { contact_key: 'bad-id', service_id: serviceId });
          expectErrorResponse(res, {
            status: 400,
            code: 'INVALID_VALUE',
            method: 'POST',
            uri: `${BASE}/services/start`,
            message: expect.stringContaining("'service_id'"),
            exception: GMS_EXCEPTION,
          });
        },
      );
    });
  },
);
