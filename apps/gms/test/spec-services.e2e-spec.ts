/**
 * Service operations §4.2–§4.4, §4.6–§4.13 of /work/shared/spec/gms-services.md, written from the spec
 * alone (not from the implementation) so that a misreading on either side shows up as a failure.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { expectErrorResponse, testBackends, waitFor } from '@cs/testing';
import { startGms, type StartedGms } from './start-gms';

const BASE = '/genesys/1/cs';
/** Spelled out from spec §2.9 rather than imported, so that a wrong constant in the app fails here. */
const GMS_EXCEPTION =
  'com.genesyslab.gsg.services.contextservices.exceptions.ContextServicesExceptionResource';
const NOT_FOUND_EXCEPTION = 'com.genesyslab.gsg.services.contextservices.exceptions.NotFoundException';
const MS_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Codes the spec does not name: only their form (UPPER_SNAKE, COMMON rules) is asserted. */
const SOME_CODE = expect.stringMatching(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
const UNKNOWN_SERVICE = '1-00000000-0000-4000-8000-000000000000';

type Json = Record<string, unknown>;
type Headers = Record<string, string>;

/** 2024-03-04T09:<minute>:<second>.<ms>Z — explicit event times keep every ordering deterministic. */
const at = (minute: number, second = 0, ms = 0) =>
  new Date(Date.UTC(2024, 2, 4, 9, minute, second, ms)).toISOString();
const ms = (from: string, to: string) => Date.parse(to) - Date.parse(from);
const uid = () => randomUUID().slice(0, 8);
const contains = (text: string) => expect.stringContaining(text);

interface ExpectedError {
  status: number;
  method: string;
  uri: string;
  message: unknown;
  code?: unknown;
  exception?: string;
}

function expectError(res: request.Response, expected: ExpectedError): void {
  expectErrorResponse(res, {
    ...expected,
    code: (expected.code ?? SOME_CODE) as string,
    exception: expected.exception ?? GMS_EXCEPTION,
  });
}

/** Spec §4 conventions: unknown service → 400 NotFoundException with the documented message. */
const serviceNotFound = (method: string, uri: string, serviceId: string): ExpectedError => ({
  status: 400,
  code: 'SERVICE_NOT_FOUND',
  method,
  uri,
  message: `There are no service found for : ${serviceId}`,
  exception: NOT_FOUND_EXCEPTION,
});

describe.each(testBackends().map((b) => [b.name, b] as const))(
  'gms service operations (%s)',
  (_, backend) => {
    let gms: StartedGms;

    beforeAll(async () => {
      gms = await startGms(backend);
    });

    afterAll(async () => {
      await gms?.close();
    });

    const post = (path: string, body?: unknown, headers: Headers = {}) => {
      const req = request(gms.url).post(path).set(headers);
      return body === undefined ? req : req.send(body as object);
    };
    /** Sends `raw` as the JSON text of the body, whatever JSON value it is. */
    const put = (path: string, raw: string, headers: Headers = {}) =>
      request(gms.url).put(path).set(headers).set('Content-Type', 'application/json').send(raw);
    const putJson = (path: string, value: unknown, headers: Headers = {}) =>
      put(path, JSON.stringify(value), headers);
    const get = (path: string, headers: Headers = {}) => request(gms.url).get(path).set(headers);
    const del = (path: string, headers: Headers = {}) => request(gms.url).delete(path).set(headers);

    async function start(body: Json, headers: Headers = {}): Promise<string> {
      const res = await post(`${BASE}/services/start`, body, headers);
      expect(res.status).toBe(201);
      return (res.body as { service_id: string }).service_id;
    }

    async function startState(serviceId: string, body: Json = {}): Promise<number> {
      const res = await post(`${BASE}/services/${serviceId}/states/start`, body);
      expect(res.status).toBe(201);
      return (res.body as { state_id: number }).state_id;
    }

    async function startTask(serviceId: string, body: Json = {}): Promise<number> {
      const res = await post(`${BASE}/services/${serviceId}/tasks/start`, body);
      expect(res.status).toBe(201);
      return (res.body as { task_id: number }).task_id;
    }

    async function expectNoContent(res: request.Response | Promise<request.Response>, status = 204) {
      const done = await res;
      expect({ status: done.status, text: done.text }).toEqual({ status, text: '' });
    }

    async function end(serviceId: string, body?: Json): Promise<void> {
      await expectNoContent(post(`${BASE}/services/${serviceId}/end`, body));
    }

    async function associate(customerId: string, serviceId: string, body?: Json): Promise<void> {
      await expectNoContent(post(`${BASE}/customers/${customerId}/services/${serviceId}`, body));
    }

    async function read(serviceId: string, query = '', headers: Headers = {}): Promise<Json> {
      const res = await get(`${BASE}/services/${serviceId}${query}`, headers);
      expect(res.status).toBe(200);
      return res.body as Json;
    }

    /** A list query (§4.7–§4.12): 200 with a JSON array. */
    async function list(path: string, headers: Headers = {}): Promise<Json[]> {
      const res = await get(`${BASE}${path}`, headers);
      expect(res.status).toBe(200);
      expect(Array.isArray(res.body)).toBe(true);
      return res.body as Json[];
    }

    const idsOf = (services: Json[]) => services.map((s) => s.service_id);

    async function countRows(table: 'states' | 'tasks', serviceId: string): Promise<number> {
      const rows = (await gms.app
        .get(DataSource)
        .query(`SELECT COUNT(*) AS n FROM ${table} WHERE service_id = ?`, [serviceId])) as {
        n: number | string;
      }[];
      return Number(rows[0].n);
    }

    describe('§4.2 Associate Service', () => {
      it('§4.2 makes an anonymous service identified: 204, customer set, contact_key kept, out of anonymous lists', async () => {
        const key = `K-${uid()}`;
        const customer = `C-${uid()}`;
        const id = await start({ contact_key: key, timestamp: at(1) });
        expect(idsOf(await list(`/services/anonymous/${key}`))).toEqual([id]);

        await associate(customer, id);

        expect(await read(id)).toEqual({
          service_id: id,
          customer_id: customer,
          contact_key: key,
          started: { timestamp: at(1) },
        });
        expect(await list(`/services/anonymous/${key}`)).toEqual([]);
        expect(await list(`/services/anonymous/${key}/active`)).toEqual([]);
        expect(idsOf(await list(`/customers/${customer}/services`))).toEqual([id]);
        expect(idsOf(await list(`/customers/${customer}/services/active`))).toEqual([id]);
      });

      it('§4.2 moves a service from customer A to customer B: it leaves every list of A', async () => {
        const a = `A-${uid()}`;
        const b = `B-${uid()}`;
        const moved = await start({ customer_id: a, timestamp: at(1) });
        const stays = await start({ customer_id: a, timestamp: at(2) });
        const completed = await start({ customer_id: a, timestamp: at(3) });
        await end(completed, { timestamp: at(4) });

        await associate(b, moved);
        await associate(b, completed);

        expect(idsOf(await list(`/customers/${a}/services`))).toEqual([stays]);
        expect(idsOf(await list(`/customers/${a}/services/active`))).toEqual([stays]);
        expect(await list(`/customers/${a}/services/completed`)).toEqual([]);
        expect(idsOf(await list(`/customers/${b}/services`))).toEqual([moved, completed]);
        expect(idsOf(await list(`/customers/${b}/services/active`))).toEqual([moved]);
        expect(idsOf(await list(`/customers/${b}/services/completed`))).toEqual([completed]);
        expect(await read(moved)).toMatchObject({ customer_id: b });
      });

      it('§4.2 body: service_type and event fields replace started members, never the start timestamp; customer_id/contact_key in the body are ignored', async () => {
        const customer = `C-${uid()}`;
        const id = await start({
          contact_key: 'K-ASSOC',
          service_type: 'PasswordReset',
          est_duration: 300,
          interaction_id: 'IX-1',
          media_type: 'voice',
          application_type: 'IVR',
          timestamp: at(1),
        });

        await associate(customer, id, {
          service_type: 12,
          interaction_id: 'IX-2',
          resource_type: 'AgentDesktop',
          resource_id: 1207,
          session_id: 'S-9',
          timestamp: at(30),
          customer_id: 'SOMEONE-ELSE',
          contact_key: 'OTHER-KEY',
          service_id: 'other-id',
        });

        expect(await read(id, '?extensions=*')).toEqual({
          service_id: id,
          service_type: 12,
          customer_id: customer,
          contact_key: 'K-ASSOC',
          est_duration: 300,
          started: {
            interaction_id: 'IX-2',
            media_type: 'voice',
            application_type: 'IVR',
            resource_type: 'AgentDesktop',
            resource_id: 1207,
            session_id: 'S-9',
            timestamp: at(1),
          },
        });
      });

      it('§4.2 body extensions replace same-named extensions and keep the others (per-key merge)', async () => {
        const customer = `C-${uid()}`;
        const id = await start({
          contact_key: 'K-EXT',
          Identification: { method: 'ani' },
          Keep: [1, 2],
        });

        await associate(customer, id, { Identification: { method: 'pin' }, Added: 'new' });

        const view = await read(id, '?extensions=*');
        expect(view).toMatchObject({
          Identification: { method: 'pin' },
          Keep: [1, 2],
          Added: 'new',
        });
        expect(Object.keys(view).sort()).toEqual(
          ['Added', 'Identification', 'Keep', 'contact_key', 'customer_id', 'service_id', 'started'].sort(),
        );
      });

      it('§4.2 accepts no body, {} and a re-association with the current customer (204 each)', async () => {
        const customer = `C-${uid()}`;
        const id = await start({ customer_id: customer, timestamp: at(1) });
        await associate(customer, id);
        await associate(customer, id, {});
        expect(await read(id)).toEqual({
          service_id: id,
          customer_id: customer,
          started: { timestamp: at(1) },
        });
        expect(idsOf(await list(`/customers/${customer}/services`))).toEqual([id]);
      });

      it('§3.2 ignores est_duration, auto_complete_after and service_id in an associate body (not extensions either)', async () => {
        const customer = `C-${uid()}`;
        const id = await start({ contact_key: 'K-IGN', est_duration: 10, timestamp: at(1) });
        await associate(customer, id, { est_duration: 999, auto_complete_after: 5, service_id: 'x' });
        expect(await read(id, '?extensions=*')).toEqual({
          service_id: id,
          customer_id: customer,
          contact_key: 'K-IGN',
          est_duration: 10,
          started: { timestamp: at(1) },
        });
      });

      it('§2.6 rejects an associate service_type that is neither number nor string with 400', async () => {
        const id = await start({ contact_key: 'K-TYPE', service_type: 'Billing' });
        const uri = `${BASE}/customers/C-TYPE/services/${id}`;
        expectError(await post(uri, { service_type: [1] }), {
          status: 400,
          method: 'POST',
          uri,
          message: contains('service_type'),
        });
        expect(await read(id)).toMatchObject({ service_type: 'Billing' });
        expect(await read(id)).not.toHaveProperty('customer_id');
      });

      it('§4.2 works on a completed service', async () => {
        const customer = `C-${uid()}`;
        const id = await start({ contact_key: 'K-DONE', timestamp: at(1) });
        await end(id, { timestamp: at(2) });
        await associate(customer, id);
        expect(idsOf(await list(`/customers/${customer}/services/completed`))).toEqual([id]);
      });

      it('§4.2 answers an unknown service with 400 NotFoundException and the documented message', async () => {
        const uri = `${BASE}/customers/C-1/services/${UNKNOWN_SERVICE}`;
        expectError(await post(uri, { Foo: 1 }), serviceNotFound('POST', uri, UNKNOWN_SERVICE));
        expect(await list('/customers/C-1/services')).toEqual([]);
      });

      it('§4.2 rejects an invalid body with 400 and changes nothing', async () => {
        const customer = `C-${uid()}`;
        const id = await start({ contact_key: 'K-BAD', timestamp: at(1) });
        const uri = `${BASE}/customers/${customer}/services/${id}`;
        expectError(await post(uri, { session_id: 's'.repeat(33), Foo: 1 }), {
          status: 400,
          method: 'POST',
          uri,
          message: contains('session_id'),
        });
        expectError(await post(uri, [{ Foo: 1 }]), {
          status: 400,
          method: 'POST',
          uri,
          message: expect.any(String),
        });
        expect(await read(id, '?extensions=*')).toEqual({
          service_id: id,
          contact_key: 'K-BAD',
          started: { timestamp: at(1) },
        });
      });
    });

    describe('§4.3 Complete Service', () => {
      it('§4.3 answers 204 and records completed, duration (ms) and disposition on the resource, not in completed', async () => {
        const id = await start({
          customer_id: `C-${uid()}`,
          service_type: 'PasswordReset',
          media_type: 'voice',
          timestamp: '2024-03-04T09:15:02.120Z',
        });
        await end(id, {
          disposition: 'Resolved',
          disposition_desc: 'Password reset by SMS link',
          media_type: 'voice',
          interaction_id: 'IX-END',
          timestamp: '2024-03-04T09:31:45.777Z',
        });
        const view = await read(id);
        expect(view).toEqual({
          service_id: id,
          service_type: 'PasswordReset',
          customer_id: expect.any(String),
          started: { media_type: 'voice', timestamp: '2024-03-04T09:15:02.120Z' },
          completed: {
            media_type: 'voice',
            interaction_id: 'IX-END',
            timestamp: '2024-03-04T09:31:45.777Z',
          },
          duration: 1003657,
          disposition: 'Resolved',
          disposition_desc: 'Password reset by SMS link',
        });
      });

      it('§4.3 accepts no body: completed.timestamp is the receive time and duration follows from it', async () => {
        const id = await start({ contact_key: 'K-NOBODY', timestamp: at(1) });
        const before = Date.now();
        await end(id);
        const after = Date.now();
        const view = await read(id);
        const completed = view.completed as { timestamp: string };
        expect(completed).toEqual({ timestamp: expect.stringMatching(MS_Z) });
        expect(Date.parse(completed.timestamp)).toBeGreaterThanOrEqual(before);
        expect(Date.parse(completed.timestamp)).toBeLessThanOrEqual(after);
        expect(view.duration).toBe(ms(at(1), completed.timestamp));
        expect(view).not.toHaveProperty('disposition');
      });

      it('§4.3 merges body extensions per key: supplied keys replace, others stay', async () => {
        const id = await start({ contact_key: 'K-MERGE', A: 1, B: { x: 1 } });
        await end(id, { B: { y: 2 }, C: ['c'] });
        const { A, B, C, ...rest } = await read(id, '?extensions=*');
        expect({ A, B, C }).toEqual({ A: 1, B: { y: 2 }, C: ['c'] });
        expect(Object.keys(rest).sort()).toEqual(
          ['completed', 'contact_key', 'duration', 'service_id', 'started'].sort(),
        );
      });

      it('§4.3 completes every still-active state and task with the same timestamp and nothing else', async () => {
        const customer = `C-${uid()}`;
        const id = await start({ customer_id: customer, timestamp: at(0) });
        const activeState = await startState(id, { timestamp: at(1) });
        const doneState = await startState(id, { timestamp: at(2) });
        await expectNoContent(
          post(`${BASE}/services/${id}/states/${doneState}/end`, { timestamp: at(3), disposition: 'Done' }),
        );
        const taskInState = await startTask(id, { state_id: activeState, timestamp: at(4) });
        const looseTask = await startTask(id, { timestamp: at(5) });
        const doneTask = await startTask(id, { timestamp: at(6) });
        await expectNoContent(
          post(`${BASE}/services/${id}/tasks/${doneTask}/end`, { timestamp: at(7), disposition: 'Ok' }),
        );

        await end(id, {
          timestamp: at(10),
          disposition: 'Resolved',
          interaction_id: 'IX-CASCADE',
          media_type: 'chat',
        });

        const state = async (n: number) => (await get(`${BASE}/services/${id}/states/${n}`)).body as Json;
        const task = async (n: number) => (await get(`${BASE}/services/${id}/tasks/${n}`)).body as Json;
        expect(await state(activeState)).toEqual({
          service_id: id,
          customer_id: customer,
          state_id: activeState,
          started: { timestamp: at(1) },
          completed: { timestamp: at(10) },
          duration: ms(at(1), at(10)),
        });
        expect(await state(doneState)).toEqual({
          service_id: id,
          customer_id: customer,
          state_id: doneState,
          started: { timestamp: at(2) },
          completed: { timestamp: at(3) },
          duration: ms(at(2), at(3)),
          disposition: 'Done',
        });
        expect(await task(taskInState)).toEqual({
          service_id: id,
          customer_id: customer,
          task_id: taskInState,
          state_id: activeState,
          started: { timestamp: at(4) },
          completed: { timestamp: at(10) },
          duration: ms(at(4), at(10)),
        });
        expect(await task(looseTask)).toEqual({
          service_id: id,
          customer_id: customer,
          task_id: looseTask,
          started: { timestamp: at(5) },
          completed: { timestamp: at(10) },
          duration: ms(at(5), at(10)),
        });
        expect(await task(doneTask)).toEqual({
          service_id: id,
          customer_id: customer,
          task_id: doneTask,
          started: { timestamp: at(6) },
          completed: { timestamp: at(7) },
          duration: ms(at(6), at(7)),
          disposition: 'Ok',
        });
        expect(await list(`/services/${id}/states/active`)).toEqual([]);
      });

      it('§4.3 cascades with the receive time when the body has no timestamp', async () => {
        const id = await start({ contact_key: 'K-CASCADE-NOW', timestamp: at(0) });
        const stateId = await startState(id, { timestamp: at(1) });
        const taskId = await startTask(id, { timestamp: at(2) });
        await end(id);
        const service = await read(id);
        const { timestamp } = service.completed as { timestamp: string };
        const state = (await get(`${BASE}/services/${id}/states/${stateId}`)).body as Json;
        const task = (await get(`${BASE}/services/${id}/tasks/${taskId}`)).body as Json;
        expect(state.completed).toEqual({ timestamp });
        expect(task.completed).toEqual({ timestamp });
      });

      it('§4.3 answers a second end with 400 (already completed) and changes nothing', async () => {
        const id = await start({ contact_key: 'K-TWICE', timestamp: at(1) });
        await end(id, { timestamp: at(2), disposition: 'First' });
        const uri = `${BASE}/services/${id}/end`;
        expectError(await post(uri, { timestamp: at(3), disposition: 'Second', Late: 1 }), {
          status: 400,
          method: 'POST',
          uri,
          message: contains(id),
        });
        expect(await read(id, '?extensions=*')).toEqual({
          service_id: id,
          contact_key: 'K-TWICE',
          started: { timestamp: at(1) },
          completed: { timestamp: at(2) },
          duration: ms(at(1), at(2)),
          disposition: 'First',
        });
      });

      it('§4.3 answers an unknown service with 400 NotFoundException', async () => {
        const uri = `${BASE}/services/${UNKNOWN_SERVICE}/end`;
        expectError(await post(uri, {}), serviceNotFound('POST', uri, UNKNOWN_SERVICE));
      });

      it('§4.3 rejects a disposition_desc over 64 characters with 400 and leaves the service active', async () => {
        const id = await start({ contact_key: 'K-DESC', timestamp: at(1) });
        const uri = `${BASE}/services/${id}/end`;
        expectError(await post(uri, { disposition_desc: 'd'.repeat(65) }), {
          status: 400,
          method: 'POST',
          uri,
          message: contains('disposition_desc'),
        });
        expect(await read(id)).not.toHaveProperty('completed');
        await end(id, { disposition_desc: 'd'.repeat(64) });
      });

      it('§4.3 applies a ttl given in the end body', async () => {
        const id = await start({ contact_key: 'K-END-TTL' });
        await end(id, { ttl: 1 });
        await waitFor(
          async () => (await get(`${BASE}/services/${id}`)).status !== 200,
          15000,
          () => `service ${id} ended with ttl 1 still visible`,
        );
        expectError(
          await get(`${BASE}/services/${id}`),
          serviceNotFound('GET', `${BASE}/services/${id}`, id),
        );
      });
    });

    describe('§4.4 Update Service Extension', () => {
      const extPath = (id: string, name: string) => `${BASE}/services/${id}/extensions/${name}`;

      it('§4.4 answers 200 with an empty body and replaces the whole value (no merge)', async () => {
        const id = await start({ contact_key: 'K-PUT', Offers: { a: 1, b: 2 }, Other: 'kept' });
        const res = await putJson(extPath(id, 'Offers'), [{ offer: 'Premium plan', score: 0.82 }]);
        await expectNoContent(res, 200);
        const view = await read(id, '?extensions=*');
        expect(view.Offers).toEqual([{ offer: 'Premium plan', score: 0.82 }]);
        expect(view.Other).toBe('kept');

        await expectNoContent(putJson(extPath(id, 'Offers'), { c: 3 }), 200);
        expect((await read(id, '?extensions=Offers')).Offers).toEqual({ c: 3 });
      });

      it('§4.4 creates the extension when absent', async () => {
        const id = await start({ contact_key: 'K-PUT-NEW' });
        await expectNoContent(putJson(extPath(id, 'Fresh'), { v: 1 }), 200);
        expect(await read(id, '?extensions=Fresh')).toMatchObject({ Fresh: { v: 1 } });
      });

      it.each([
        ['an array', '[1,"two",{"three":3}]', [1, 'two', { three: 3 }]],
        ['a string', '"plain text"', 'plain text'],
        ['a number', '42.5', 42.5],
        ['zero', '0', 0],
        ['false', 'false', false],
        ['an empty object', '{}', {}],
      ])('§4.4 accepts %s as the value', async (_name, raw, value) => {
        const id = await start({ contact_key: 'K-PUT-ANY' });
        await expectNoContent(put(extPath(id, 'Value'), raw), 200);
        expect((await read(id, '?extensions=Value')).Value).toEqual(value);
      });

      it('§4.4 URL-decodes the name and keeps it case-sensitive', async () => {
        const id = await start({ contact_key: 'K-PUT-NAME', note: 'lower' });
        await expectNoContent(putJson(extPath(id, 'Note'), 'upper'), 200);
        await expectNoContent(putJson(extPath(id, 'My%20Ext'), 1), 200);
        expect(await read(id, '?extensions=*')).toMatchObject({ note: 'lower', Note: 'upper', 'My Ext': 1 });
      });

      it('§4.4 works on a completed service', async () => {
        const id = await start({ contact_key: 'K-PUT-DONE' });
        await end(id);
        await expectNoContent(putJson(extPath(id, 'After'), { ok: true }), 200);
        expect(await read(id, '?extensions=After')).toMatchObject({ After: { ok: true } });
      });

      it.each([
        'customer_id',
        'contact_key',
        'started',
        'completed',
        'duration',
        'ttl',
        'service_type',
        'disposition',
      ])('§4.4 rejects the reserved name %s with 400', async (name) => {
        const id = await start({ contact_key: 'K-PUT-RES' });
        const uri = extPath(id, name);
        expectError(await putJson(uri, { v: 1 }), {
          status: 400,
          method: 'PUT',
          uri,
          message: contains(name),
        });
        expect(Object.keys(await read(id, '?extensions=*')).sort()).toEqual([
          'contact_key',
          'service_id',
          'started',
        ]);
      });

      it('§4.4 rejects a name over 256 characters and accepts one of 256', async () => {
        const id = await start({ contact_key: 'K-PUT-LONG' });
        const uri = extPath(id, 'E'.repeat(257));
        expectError(await putJson(uri, 1), { status: 400, method: 'PUT', uri, message: expect.any(String) });
        await expectNoContent(putJson(extPath(id, 'E'.repeat(256)), 1), 200);
      });

      it('§4.4 rejects a null value with 400 and keeps the previous value', async () => {
        const id = await start({ contact_key: 'K-PUT-NULL', Keep: 'me' });
        const uri = extPath(id, 'Keep');
        expectError(await put(uri, 'null'), { status: 400, method: 'PUT', uri, message: contains('Keep') });
        expect((await read(id, '?extensions=Keep')).Keep).toBe('me');
      });

      it('§4.4 rejects a missing body and invalid JSON with 400', async () => {
        const id = await start({ contact_key: 'K-PUT-EMPTY' });
        const uri = extPath(id, 'Thing');
        expectError(await request(gms.url).put(uri), {
          status: 400,
          method: 'PUT',
          uri,
          message: expect.any(String),
        });
        expectError(await put(uri, '{"a":'), {
          status: 400,
          code: 'MALFORMED_JSON',
          method: 'PUT',
          uri,
          message: contains('Invalid JSON body'),
        });
        expect(await read(id, '?extensions=*')).not.toHaveProperty('Thing');
      });

      it('§2.2 parses a PUT body without Content-Type as JSON; text/plain answers 415', async () => {
        const id = await start({ contact_key: 'K-PUT-NOTYPE' });
        const path = extPath(id, 'Raw');
        const status = await new Promise<number>((resolve, reject) => {
          const body = '{"raw":true}';
          const req = httpRequest(
            `${gms.url}${path}`,
            { method: 'PUT', headers: { 'Content-Length': Buffer.byteLength(body) } },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            },
          );
          req.on('error', reject);
          req.end(body);
        });
        expect(status).toBe(200);
        expect((await read(id, '?extensions=Raw')).Raw).toEqual({ raw: true });
        const res = await request(gms.url).put(path).set('Content-Type', 'text/plain').send('"x"');
        expectError(res, {
          status: 415,
          code: 'UNSUPPORTED_MEDIA_TYPE',
          method: 'PUT',
          uri: path,
          message: contains('text/plain'),
        });
        expect((await read(id, '?extensions=Raw')).Raw).toEqual({ raw: true });
      });

      it('§4.4 answers an unknown service with 400 NotFoundException', async () => {
        const uri = extPath(UNKNOWN_SERVICE, 'Offers');
        expectError(await putJson(uri, { a: 1 }), serviceNotFound('PUT', uri, UNKNOWN_SERVICE));
      });
    });

    describe('§4.6 Delete Service by ID', () => {
      it('§4.6 answers 200 with an empty body, then the service is unknown and a second DELETE is 400', async () => {
        const id = await start({ contact_key: 'K-DEL' });
        const uri = `${BASE}/services/${id}`;
        await expectNoContent(del(uri), 200);
        expectError(await get(uri), serviceNotFound('GET', uri, id));
        expectError(await del(uri), serviceNotFound('DELETE', uri, id));
      });

      it('§4.6 deletes the states and tasks of the service, whatever its status', async () => {
        const customer = `C-${uid()}`;
        const id = await start({ customer_id: customer });
        const keep = await start({ customer_id: customer });
        const stateId = await startState(id);
        await startTask(id, { state_id: stateId });
        await startTask(id);
        await startState(keep);
        await end(id);
        expect(await countRows('states', id)).toBe(1);
        expect(await countRows('tasks', id)).toBe(2);

        await expectNoContent(del(`${BASE}/services/${id}`), 200);

        expect(await countRows('states', id)).toBe(0);
        expect(await countRows('tasks', id)).toBe(0);
        expect(await countRows('states', keep)).toBe(1);
        const statesUri = `${BASE}/services/${id}/states`;
        expectError(await get(statesUri), serviceNotFound('GET', statesUri, id));
        expect(idsOf(await list(`/customers/${customer}/services`))).toEqual([keep]);
      });

      it('§4.6 answers an unknown service with the documented 400 body', async () => {
        const uri = `${BASE}/services/${UNKNOWN_SERVICE}`;
        expectError(await del(uri), serviceNotFound('DELETE', uri, UNKNOWN_SERVICE));
      });

      it('§4.6 does not delete a service of another tenant', async () => {
        const id = await start({ contact_key: 'K-DEL-T' }, { ContactCenterId: '4601' });
        const uri = `${BASE}/services/${id}`;
        expectError(await del(uri, { ContactCenterId: '4602' }), serviceNotFound('DELETE', uri, id));
        expect((await get(uri, { ContactCenterId: '4601' })).status).toBe(200);
      });
    });

    describe('§4.7–§4.12 Query Services', () => {
      it('§4.7 returns only anonymous services with exactly that contact key, in top-level form', async () => {
        const key = `Key-${uid()}`;
        const first = await start({ contact_key: key, service_type: 'Billing', timestamp: at(1) });
        await start({ contact_key: key, customer_id: `C-${uid()}`, timestamp: at(2) });
        const associated = await start({ contact_key: key, timestamp: at(3) });
        await associate(`C-${uid()}`, associated);
        await start({ contact_key: `${key}-other`, timestamp: at(4) });
        await start({ contact_key: key, timestamp: at(5) }, { ContactCenterId: '4701' });
        const last = await start({ contact_key: key, timestamp: at(6), Hidden: 1 });

        expect(await list(`/services/anonymous/${key}`)).toEqual([
          { service_id: first, service_type: 'Billing', contact_key: key, started: { timestamp: at(1) } },
          { service_id: last, contact_key: key, started: { timestamp: at(6) } },
        ]);
        expect(await list(`/services/anonymous/${key.toLowerCase()}`)).toEqual([]);
      });

      it('§4.7–§4.9 split anonymous services into active and completed', async () => {
        const key = `K-${uid()}`;
        const a1 = await start({ contact_key: key, timestamp: at(1) });
        const done = await start({ contact_key: key, timestamp: at(2) });
        const a3 = await start({ contact_key: key, timestamp: at(3) });
        await end(done, { timestamp: at(4), disposition: 'Abandoned' });

        expect(idsOf(await list(`/services/anonymous/${key}`))).toEqual([a1, done, a3]);
        expect(idsOf(await list(`/services/anonymous/${key}/active`))).toEqual([a1, a3]);
        expect(await list(`/services/anonymous/${key}/completed`)).toEqual([
          {
            service_id: done,
            contact_key: key,
            started: { timestamp: at(2) },
            completed: { timestamp: at(4) },
            duration: ms(at(2), at(4)),
            disposition: 'Abandoned',
          },
        ]);
      });

      it('§4.10–§4.12 select a customer services, split into active and completed, in top-level form', async () => {
        const customer = `C-${uid()}`;
        const active = await start({ customer_id: customer, contact_key: 'K-1', timestamp: at(1) });
        const done = await start({ customer_id: customer, est_duration: 60, timestamp: at(2) });
        const fromAnonymous = await start({ contact_key: 'K-2', timestamp: at(3) });
        await associate(customer, fromAnonymous);
        await start({ customer_id: `${customer}-other`, timestamp: at(4) });
        await start({ customer_id: customer, timestamp: at(5) }, { ContactCenterId: '4101' });
        await end(done, { timestamp: at(6), disposition: 7, disposition_desc: 'fine' });

        expect(await list(`/customers/${customer}/services`)).toEqual([
          { service_id: active, customer_id: customer, contact_key: 'K-1', started: { timestamp: at(1) } },
          {
            service_id: done,
            customer_id: customer,
            est_duration: 60,
            started: { timestamp: at(2) },
            completed: { timestamp: at(6) },
            duration: ms(at(2), at(6)),
            disposition: 7,
            disposition_desc: 'fine',
          },
          {
            service_id: fromAnonymous,
            customer_id: customer,
            contact_key: 'K-2',
            started: { timestamp: at(3) },
          },
        ]);
        expect(idsOf(await list(`/customers/${customer}/services/active`))).toEqual([active, fromAnonymous]);
        expect(idsOf(await list(`/customers/${customer}/services/completed`))).toEqual([done]);
        expect(
          idsOf(await list(`/customers/${customer}/services`, { ContactCenterId: '4101' })),
        ).toHaveLength(1);
      });

      it.each([
        '/customers/NOBODY-{u}/services',
        '/customers/NOBODY-{u}/services/active',
        '/customers/NOBODY-{u}/services/completed',
        '/services/anonymous/NOKEY-{u}',
        '/services/anonymous/NOKEY-{u}/active',
        '/services/anonymous/NOKEY-{u}/completed',
      ])('§2.12 answers %s with 200 [] when nothing matches', async (path) => {
        expect(await list(path.replace('{u}', uid()))).toEqual([]);
      });

      it('§2.12 orders by started.timestamp ascending, ties by creation order', async () => {
        const customer = `C-${uid()}`;
        const tieA = await start({ customer_id: customer, timestamp: at(5) });
        const earliest = await start({ customer_id: customer, timestamp: at(1) });
        const tieB = await start({ customer_id: customer, timestamp: at(5) });
        const middle = await start({ customer_id: customer, timestamp: '2024-03-04T10:03:00.000+01:00' });
        const tieC = await start({ customer_id: customer, timestamp: at(5) });
        const tieD = await start({ customer_id: customer, timestamp: at(5) });
        expect(idsOf(await list(`/customers/${customer}/services`))).toEqual([
          earliest,
          middle,
          tieA,
          tieB,
          tieC,
          tieD,
        ]);
      });

      describe('started_from / started_to', () => {
        const customer = `C-RANGE-${uid()}`;
        const key = `K-RANGE-${uid()}`;
        const ids: string[] = [];

        beforeAll(async () => {
          // Created out of order; ids[i] started at minute i + 1.
          const byMinute: Record<number, string> = {};
          for (const minute of [3, 1, 4, 2]) {
            byMinute[minute] = await start({ customer_id: customer, timestamp: at(minute) });
          }
          ids.push(byMinute[1], byMinute[2], byMinute[3], byMinute[4]);
          await end(byMinute[3], { timestamp: at(9) });
          await start({ contact_key: key, timestamp: at(1) });
          await start({ contact_key: key, timestamp: at(2) });
        });

        it.each([
          ['started_from (inclusive)', `started_from=${at(2)}`, [1, 2, 3]],
          ['started_to (exclusive)', `started_to=${at(3)}`, [0, 1]],
          ['both: [from, to)', `started_from=${at(2)}&started_to=${at(4)}`, [1, 2]],
          ['from = to (empty range)', `started_from=${at(2)}&started_to=${at(2)}`, []],
          ['a from between two starts', `started_from=${at(2, 0, 1)}`, [2, 3]],
          ['a form without milliseconds', 'started_to=2024-03-04T09:03:00Z', [0, 1]],
          [
            'an offset form',
            `started_from=${encodeURIComponent('2024-03-04T10:02:00.000+01:00')}`,
            [1, 2, 3],
          ],
        ])('§4.10 keeps the services inside the range for %s', async (_name, query, expected) => {
          const found = idsOf(await list(`/customers/${customer}/services?${query}`));
          expect(found).toEqual(expected.map((i) => ids[i]));
        });

        it('§4.11 applies the range on the active variant', async () => {
          const found = idsOf(await list(`/customers/${customer}/services/active?started_from=${at(2)}`));
          expect(found).toEqual([ids[1], ids[3]]);
        });

        it('§4.7 applies the range on anonymous services', async () => {
          const found = await list(`/services/anonymous/${key}?started_to=${at(2)}`);
          expect(found.map((s) => (s.started as Json).timestamp)).toEqual([at(1)]);
        });

        it('§4.7 answers started_from later than started_to with 400', async () => {
          const uri = `${BASE}/services/anonymous/${key}`;
          expectError(await get(`${uri}?started_from=${at(3)}&started_to=${at(2)}`), {
            status: 400,
            method: 'GET',
            uri,
            message: expect.stringMatching(/started_(from|to)/),
          });
        });

        it('§4.10 answers started_from later than started_to with 400', async () => {
          const uri = `${BASE}/customers/${customer}/services/completed`;
          expectError(await get(`${uri}?started_from=${at(3)}&started_to=${at(2)}`), {
            status: 400,
            method: 'GET',
            uri,
            message: expect.stringMatching(/started_(from|to)/),
          });
        });

        it.each(['started_from', 'started_to'])('§2.4 answers a malformed %s with 400', async (param) => {
          const uri = `${BASE}/customers/${customer}/services`;
          expectError(await get(`${uri}?${param}=2024-Mar-04`), {
            status: 400,
            method: 'GET',
            uri,
            message: contains(param),
          });
        });
      });

      it('§4.10 service_types keeps services whose type equals an item, numbers and strings alike', async () => {
        const customer = `C-${uid()}`;
        const numeric = await start({ customer_id: customer, service_type: 12, timestamp: at(1) });
        const billing = await start({ customer_id: customer, service_type: 'Billing', timestamp: at(2) });
        const reset = await start({ customer_id: customer, service_type: 'PasswordReset', timestamp: at(3) });
        await start({ customer_id: customer, timestamp: at(4) });
        const numericString = await start({ customer_id: customer, service_type: '7', timestamp: at(5) });

        const typed = await list(`/customers/${customer}/services?service_types=12,Billing`);
        expect(idsOf(typed)).toEqual([numeric, billing]);
        expect(typed[0].service_type).toBe(12);
        expect(idsOf(await list(`/customers/${customer}/services?service_types=7`))).toEqual([numericString]);
        expect(
          idsOf(await list(`/customers/${customer}/services/active?service_types=PasswordReset`)),
        ).toEqual([reset]);
        expect(await list(`/customers/${customer}/services?service_types=Unknown`)).toEqual([]);
      });

      it('§4.7 service_types also filters anonymous services', async () => {
        const key = `K-${uid()}`;
        await start({ contact_key: key, service_type: 'Sales', timestamp: at(1) });
        const support = await start({ contact_key: key, service_type: 'Support', timestamp: at(2) });
        expect(idsOf(await list(`/services/anonymous/${key}?service_types=Support`))).toEqual([support]);
      });

      describe('nesting and extensions on lists', () => {
        const customer = `C-NEST-${uid()}`;
        let withData: string;
        let empty: string;

        beforeAll(async () => {
          withData = await start({ customer_id: customer, timestamp: at(1), A: 1, B: { b: 2 } });
          empty = await start({ customer_id: customer, timestamp: at(2), A: 3 });
          const stateId = await startState(withData, { state_type: 'Waiting', timestamp: at(3), Mood: 'ok' });
          const taskId = await startTask(withData, { state_id: stateId, timestamp: at(4), Note: 'n' });
          await expectNoContent(
            post(`${BASE}/services/${withData}/tasks/${taskId}/end`, {
              timestamp: at(5),
              disposition: 'Done',
            }),
          );
        });

        it('§2.8 adds the requested nested members in nested form, [] when there is nothing, none when false', async () => {
          const found = await list(
            `/customers/${customer}/services?active_states=true&completed_tasks=true&completed_states=false`,
          );
          expect(found).toEqual([
            {
              service_id: withData,
              customer_id: customer,
              started: { timestamp: at(1) },
              active_states: [{ state_id: 1, state_type: 'Waiting', started: { timestamp: at(3) } }],
              completed_tasks: [
                {
                  task_id: 1,
                  state_id: 1,
                  started: { timestamp: at(4) },
                  completed: { timestamp: at(5) },
                  duration: ms(at(4), at(5)),
                  disposition: 'Done',
                },
              ],
            },
            {
              service_id: empty,
              customer_id: customer,
              started: { timestamp: at(2) },
              active_states: [],
              completed_tasks: [],
            },
          ]);
        });

        it('§2.8 answers an invalid nesting flag on a list with 400 INVALID_PARAMETER', async () => {
          const uri = `${BASE}/customers/${customer}/services/active`;
          expectError(await get(`${uri}?active_tasks=yes`), {
            status: 400,
            code: 'INVALID_PARAMETER',
            method: 'GET',
            uri,
            message: contains("'active_tasks'"),
          });
          const anonymous = `${BASE}/services/anonymous/K-x`;
          expectError(await get(`${anonymous}?completed_states=1`), {
            status: 400,
            code: 'INVALID_PARAMETER',
            method: 'GET',
            uri: anonymous,
            message: contains("'completed_states'"),
          });
        });

        const extensionsOf = (services: Json[]) =>
          services.map((s) => {
            const { service_id: _id, customer_id: _c, started: _s, active_states, ...rest } = s;
            const states = (active_states as Json[] | undefined)?.map((state) => {
              const { state_id: _sid, state_type: _t, started: _st, ...ext } = state;
              return ext;
            });
            return states ? { ...rest, states } : rest;
          });

        it.each([
          ['no extensions parameter', '', [{}, {}]],
          ['Name', 'extensions=A', [{ A: 1 }, { A: 3 }]],
          ['Service.Name', 'extensions=Service.B', [{ B: { b: 2 } }, {}]],
          ['a list', 'extensions=B,A', [{ A: 1, B: { b: 2 } }, { A: 3 }]],
          ['*', 'extensions=*', [{ A: 1, B: { b: 2 } }, { A: 3 }]],
          ['State.Name without states', 'extensions=State.Mood', [{}, {}]],
        ])('§2.7 selects list extensions by %s', async (_name, query, expected) => {
          expect(extensionsOf(await list(`/customers/${customer}/services?${query}`))).toEqual(expected);
        });

        it('§2.7 State.Name and * reach nested states on a list', async () => {
          expect(
            extensionsOf(
              await list(`/customers/${customer}/services?active_states=true&extensions=State.Mood`),
            ),
          ).toEqual([{ states: [{ Mood: 'ok' }] }, { states: [] }]);
          expect(
            extensionsOf(await list(`/customers/${customer}/services?active_states=true&extensions=*`)),
          ).toEqual([
            { A: 1, B: { b: 2 }, states: [{ Mood: 'ok' }] },
            { A: 3, states: [] },
          ]);
          expect(
            extensionsOf(await list(`/customers/${customer}/services?active_states=true&extensions=Mood`)),
          ).toEqual([{ states: [{}] }, { states: [] }]);
        });
      });
    });

    describe('§4.13 Update Expiration Time', () => {
      const gone = async (id: string, what: string) => {
        await waitFor(
          async () => (await get(`${BASE}/services/${id}`)).status !== 200,
          15000,
          () => `service ${id} still visible after ${what}`,
        );
        const uri = `${BASE}/services/${id}`;
        expectError(await get(uri), serviceNotFound('GET', uri, id));
      };

      it('§4.13 sets a ttl: 200 with an empty body, then the conversation expires', async () => {
        const id = await start({ contact_key: 'K-TTL' });
        await expectNoContent(putJson(`${BASE}/services/${id}`, { ttl: 1 }), 200);
        await gone(id, 'ttl 1');
      });

      it('§4.13 sets an expiration_time', async () => {
        const id = await start({ contact_key: 'K-EXP' });
        const when = new Date(Date.now() + 1500).toISOString();
        await expectNoContent(putJson(`${BASE}/services/${id}`, { expiration_time: when }), 200);
        await gone(id, `expiration_time ${when}`);
      });

      it('§4.13 lets ttl win over expiration_time', async () => {
        const id = await start({ contact_key: 'K-BOTH' });
        await expectNoContent(
          putJson(`${BASE}/services/${id}`, { ttl: 1, expiration_time: '2099-01-01T00:00:00.000Z' }),
          200,
        );
        await gone(id, 'ttl 1 with a far expiration_time');
      });

      it('§4.13 ignores a past expiration_time when a ttl is present', async () => {
        const id = await start({ contact_key: 'K-BOTH-PAST' });
        await expectNoContent(
          putJson(`${BASE}/services/${id}`, { ttl: 3600, expiration_time: '2001-01-01T00:00:00.000Z' }),
          200,
        );
        expect((await get(`${BASE}/services/${id}`)).status).toBe(200);
      });

      it('§4.13 ignores other keys: no extension is written', async () => {
        const id = await start({ contact_key: 'K-EXP-KEYS' });
        await expectNoContent(
          putJson(`${BASE}/services/${id}`, { ttl: 3600, Foo: 1, customer_id: 'X' }),
          200,
        );
        expect(await read(id, '?extensions=*')).toEqual({
          service_id: id,
          contact_key: 'K-EXP-KEYS',
          started: { timestamp: expect.stringMatching(MS_Z) },
        });
      });

      it('§2.11 accepts a numeric-string ttl and an expiration_time with an offset', async () => {
        const id = await start({ contact_key: 'K-EXP-FORMS' });
        await expectNoContent(putJson(`${BASE}/services/${id}`, { ttl: '3600' }), 200);
        const later = new Date(Date.now() + 3600_000).toISOString().replace('Z', '+00:00');
        await expectNoContent(putJson(`${BASE}/services/${id}`, { expiration_time: later }), 200);
        expect((await get(`${BASE}/services/${id}`)).status).toBe(200);
      });

      it('§4.13 works on a completed service', async () => {
        const id = await start({ contact_key: 'K-EXP-DONE' });
        await end(id);
        await expectNoContent(putJson(`${BASE}/services/${id}`, { ttl: 3600 }), 200);
      });

      it.each([
        ['neither ttl nor expiration_time', { Foo: 1 }, 'ttl'],
        ['an empty object', {}, 'ttl'],
        ['a past expiration_time', { expiration_time: '2001-01-01T00:00:00.000Z' }, 'expiration_time'],
        ['a malformed expiration_time', { expiration_time: 'tomorrow' }, 'expiration_time'],
        ['ttl 0', { ttl: 0 }, 'ttl'],
        ['a negative ttl', { ttl: -5 }, 'ttl'],
        ['a fractional ttl', { ttl: 1.5 }, 'ttl'],
        ['a ttl that is not a number', { ttl: 'soon' }, 'ttl'],
      ])('§4.13 rejects %s with 400 and keeps the service', async (_name, body, field) => {
        const id = await start({ contact_key: 'K-EXP-BAD' });
        const uri = `${BASE}/services/${id}`;
        expectError(await putJson(uri, body), { status: 400, method: 'PUT', uri, message: contains(field) });
        expect((await get(uri)).status).toBe(200);
      });

      it('§4.13 rejects a body that is not a JSON object with 400', async () => {
        const id = await start({ contact_key: 'K-EXP-ARRAY' });
        const uri = `${BASE}/services/${id}`;
        expectError(await putJson(uri, [{ ttl: 1 }]), {
          status: 400,
          method: 'PUT',
          uri,
          message: expect.any(String),
        });
      });

      it('§4.13 answers an unknown service with 400 NotFoundException', async () => {
        const uri = `${BASE}/services/${UNKNOWN_SERVICE}`;
        expectError(await putJson(uri, { ttl: 60 }), serviceNotFound('PUT', uri, UNKNOWN_SERVICE));
      });
    });

    describe('§4.13 explicit expiration is sticky', () => {
      it('§4.13 later non-expiration writes do not move an explicit ttl', async () => {
        const customer = `C-${uid()}`;
        const id = await start({ contact_key: 'K-STICKY' });
        await expectNoContent(putJson(`${BASE}/services/${id}`, { ttl: 2 }), 200);
        await expectNoContent(putJson(`${BASE}/services/${id}/extensions/Touch`, 1), 200);
        await startState(id);
        await startTask(id);
        await associate(customer, id, { Touch: 2 });
        await waitFor(
          async () => (await get(`${BASE}/services/${id}`)).status !== 200,
          15000,
          () => `service ${id} with an explicit ttl 2 still visible after later writes`,
        );
        expect(await list(`/customers/${customer}/services`)).toEqual([]);
      });

      it('§4.13 another explicit ttl replaces the previous one', async () => {
        const id = await start({ contact_key: 'K-RESET', ttl: 1 });
        await expectNoContent(putJson(`${BASE}/services/${id}`, { ttl: 3600 }), 200);
        await new Promise((resolve) => setTimeout(resolve, 2500));
        expect((await get(`${BASE}/services/${id}`)).status).toBe(200);
      });
    });

    describe('§4.3 expiration and validation in the end body', () => {
      it('§4.3 applies an expiration_time given in the end body', async () => {
        const id = await start({ contact_key: 'K-END-EXP' });
        await end(id, { expiration_time: new Date(Date.now() + 1500).toISOString() });
        await waitFor(
          async () => (await get(`${BASE}/services/${id}`)).status !== 200,
          15000,
          () => `service ${id} ended with an expiration_time still visible`,
        );
      });

      it.each([
        ['ttl 0', { ttl: 0 }, 'ttl'],
        ['a past expiration_time', { expiration_time: '2001-01-01T00:00:00.000Z' }, 'expiration_time'],
        ['a malformed timestamp', { timestamp: '2024-03-04 09:00' }, 'timestamp'],
        ['a disposition that is an object', { disposition: { a: 1 } }, 'disposition'],
        ['an extension value null', { Foo: null }, 'Foo'],
      ])('§4.3 rejects an end body with %s (400) and leaves the service active', async (_n, body, field) => {
        const id = await start({ contact_key: 'K-END-BAD' });
        const uri = `${BASE}/services/${id}/end`;
        expectError(await post(uri, body), { status: 400, method: 'POST', uri, message: contains(field) });
        expect(await read(id)).not.toHaveProperty('completed');
      });

      it('§4.3 lets ttl win over a past expiration_time in the end body (204)', async () => {
        const id = await start({ contact_key: 'K-END-BOTH' });
        await end(id, { ttl: 3600, expiration_time: '2001-01-01T00:00:00.000Z' });
        expect(await read(id)).toHaveProperty('completed');
      });

      it('§2.3 answers malformed JSON with 400 MALFORMED_JSON and a non-JSON media type with 415', async () => {
        const id = await start({ contact_key: 'K-END-JSON' });
        const uri = `${BASE}/services/${id}/end`;
        expectError(await request(gms.url).post(uri).set('Content-Type', 'application/json').send('{"a":'), {
          status: 400,
          code: 'MALFORMED_JSON',
          method: 'POST',
          uri,
          message: contains('Invalid JSON body'),
        });
        expectError(await request(gms.url).post(uri).set('Content-Type', 'text/plain').send('x'), {
          status: 415,
          code: 'UNSUPPORTED_MEDIA_TYPE',
          method: 'POST',
          uri,
          message: contains('text/plain'),
        });
        expectError(await post(uri, [1]), { status: 400, method: 'POST', uri, message: expect.any(String) });
        expect(await read(id)).not.toHaveProperty('completed');
      });
    });

    describe('§2.10 precedence: validation before unknown ids before status conflicts', () => {
      it.each([
        [
          'POST',
          `/services/${UNKNOWN_SERVICE}/end`,
          { disposition_desc: 'd'.repeat(65) },
          'disposition_desc',
        ],
        ['POST', `/customers/C-1/services/${UNKNOWN_SERVICE}`, { session_id: 's'.repeat(33) }, 'session_id'],
        ['PUT', `/services/${UNKNOWN_SERVICE}`, { ttl: 0 }, 'ttl'],
        ['PUT', `/services/${UNKNOWN_SERVICE}/extensions/customer_id`, { a: 1 }, 'customer_id'],
      ])(
        '§2.10 %s %s with an invalid body answers the validation error',
        async (method, path, body, field) => {
          const uri = `${BASE}${path}`;
          const res = method === 'PUT' ? await putJson(uri, body) : await post(uri, body);
          expectError(res, { status: 400, method, uri, message: contains(field) });
        },
      );

      it('§2.10 an invalid end body on a completed service answers the validation error, not "already completed"', async () => {
        const id = await start({ contact_key: 'K-PREC' });
        await end(id);
        const uri = `${BASE}/services/${id}/end`;
        expectError(await post(uri, { disposition_desc: 'd'.repeat(65) }), {
          status: 400,
          method: 'POST',
          uri,
          message: contains('disposition_desc'),
        });
      });
    });

    describe('§1.6 tenancy and GroupId on every service operation', () => {
      it('§1.6 another tenant can neither read nor change a service', async () => {
        const owner = { ContactCenterId: '4801' };
        const stranger = { ContactCenterId: '4802' };
        const customer = `C-${uid()}`;
        const id = await start({ contact_key: 'K-TEN', timestamp: at(1) }, owner);
        const svc = `${BASE}/services/${id}`;
        const attempts: [string, string, () => Promise<request.Response>][] = [
          [
            'POST',
            `${BASE}/customers/${customer}/services/${id}`,
            () => post(`${BASE}/customers/${customer}/services/${id}`, {}, stranger),
          ],
          ['POST', `${svc}/end`, () => post(`${svc}/end`, {}, stranger)],
          ['PUT', `${svc}/extensions/X`, () => putJson(`${svc}/extensions/X`, 1, stranger)],
          ['PUT', svc, () => putJson(svc, { ttl: 60 }, stranger)],
          ['POST', `${svc}/states/start`, () => post(`${svc}/states/start`, {}, stranger)],
          ['POST', `${svc}/tasks/start`, () => post(`${svc}/tasks/start`, {}, stranger)],
          ['GET', `${svc}/states`, () => get(`${svc}/states`, stranger)],
          ['DELETE', svc, () => del(svc, stranger)],
        ];
        for (const [method, uri, send] of attempts) {
          expectError(await send(), serviceNotFound(method, uri, id));
        }
        expect(await read(id, '?extensions=*&active_states=true&active_tasks=true', owner)).toEqual({
          service_id: id,
          contact_key: 'K-TEN',
          started: { timestamp: at(1) },
          active_states: [],
          active_tasks: [],
        });
        expect(await list(`/services/anonymous/K-TEN`, stranger)).toEqual([]);
        expect(idsOf(await list(`/services/anonymous/K-TEN`, owner))).toEqual([id]);
      });

      it('§1.6 a GroupId restricts writes and lists to its own group; no GroupId means no filter', async () => {
        const sales = { ContactCenterId: '4803', GroupId: 'Sales' };
        const support = { ContactCenterId: '4803', GroupId: 'Support' };
        const noGroup = { ContactCenterId: '4803' };
        const customer = `C-${uid()}`;
        const id = await start({ customer_id: customer, timestamp: at(1) }, sales);
        const uri = `${BASE}/services/${id}/end`;
        expectError(await post(uri, {}, support), serviceNotFound('POST', uri, id));
        expect(await list(`/customers/${customer}/services`, support)).toEqual([]);
        expect(idsOf(await list(`/customers/${customer}/services`, sales))).toEqual([id]);
        expect(idsOf(await list(`/customers/${customer}/services`, noGroup))).toEqual([id]);
        await expectNoContent(post(uri, {}, noGroup));
        expect(idsOf(await list(`/customers/${customer}/services/completed`, sales))).toEqual([id]);
      });
    });

    describe('§2.1 routing of the customer and anonymous paths', () => {
      it('§4.7 URL-decodes the contact key; §4.10 URL-decodes the customer id', async () => {
        const key = `+3315555${Date.now() % 100000}`;
        const customer = `Jean Dupont é+${uid()}`;
        const anonymous = await start({ contact_key: key });
        const identified = await start({ customer_id: customer });
        expect(idsOf(await list(`/services/anonymous/${encodeURIComponent(key)}`))).toEqual([anonymous]);
        expect(idsOf(await list(`/customers/${encodeURIComponent(customer)}/services`))).toEqual([
          identified,
        ]);
        const moved = await start({ contact_key: key });
        await associate(encodeURIComponent(customer), moved);
        expect(await read(moved)).toMatchObject({ customer_id: customer });
      });

      it('§2.1 POST /customers/{c}/services/active associates the service id "active" (unknown → 400 NotFound)', async () => {
        const uri = `${BASE}/customers/C-1/services/active`;
        expectError(await post(uri, {}), serviceNotFound('POST', uri, 'active'));
      });

      it('§2.1 GET /customers/{c}/services/{id} is a POST-only route: 405 with Allow', async () => {
        const id = await start({ contact_key: 'K-405' });
        const uri = `${BASE}/customers/C-1/services/${id}`;
        const res = await get(uri);
        expectError(res, {
          status: 405,
          code: 'METHOD_NOT_ALLOWED',
          method: 'GET',
          uri,
          message: contains('GET'),
        });
        expect(res.headers.allow).toMatch(/\bPOST\b/);
      });

      it('§2.1 ignores trailing slashes on the new routes', async () => {
        const customer = `C-${uid()}`;
        const id = await start({ contact_key: 'K-SLASH' });
        await associate(customer, `${id}/`);
        expect(idsOf(await list(`/customers/${customer}/services/`))).toEqual([id]);
        expect(idsOf(await list(`/customers/${customer}/services/active/`))).toEqual([id]);
        expect(idsOf(await list(`/services/anonymous/K-SLASH/`))).toEqual([]);
        await expectNoContent(putJson(`${BASE}/services/${id}/extensions/X/`, 1), 200);
        await expectNoContent(post(`${BASE}/services/${id}/end/`, {}));
        await expectNoContent(del(`${BASE}/services/${id}/`), 200);
      });

      it('§2.5 rejects a customer id over 256 characters in the associate path with 400', async () => {
        const id = await start({ contact_key: 'K-LONG-C' });
        const uri = `${BASE}/customers/${'c'.repeat(257)}/services/${id}`;
        expectError(await post(uri, {}), {
          status: 400,
          method: 'POST',
          uri,
          message: contains('customer_id'),
        });
        expect(await read(id)).not.toHaveProperty('customer_id');
      });
    });
  },
);
