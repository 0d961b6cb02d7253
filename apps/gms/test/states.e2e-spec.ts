/**
 * States (spec §4.14–§4.19) as implemented: the write transaction (ids, atomicity, "touch" of the
 * service), events, routing and the error codes of this implementation.
 */
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EventSubjects, type EventEnvelope } from '@cs/contracts';
import { expectErrorResponse, testBackends } from '@cs/testing';
import { startGms, type StartedGms } from './start-gms';
import { listenForEvents, type EventListener } from './support';

const BASE = '/genesys/1/cs';
const GMS_EXCEPTION =
  'com.genesyslab.gsg.services.contextservices.exceptions.ContextServicesExceptionResource';
const NOT_FOUND_EXCEPTION = 'com.genesyslab.gsg.services.contextservices.exceptions.NotFoundException';
const T0 = '2024-03-04T09:00:00.000Z';
const T1 = '2024-03-04T09:01:00.000Z';

type Json = Record<string, unknown>;

interface ServiceRow {
  updated_at: number;
  expires_at: number;
  auto_complete_at: number | null;
  last_state_id: number;
}

describe.each(testBackends().map((b) => [b.name, b] as const))('gms states (%s)', (_, backend) => {
  let gms: StartedGms;
  let listener: EventListener;

  beforeAll(async () => {
    gms = await startGms(backend);
    listener = await listenForEvents(gms.env);
  });

  afterAll(async () => {
    await listener?.close();
    await gms?.close();
  });

  const post = (path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const req = request(gms.url).post(`${BASE}${path}`).set(headers);
    return body === undefined ? req : req.send(body as object);
  };
  const get = (path: string, headers: Record<string, string> = {}) =>
    request(gms.url).get(`${BASE}${path}`).set(headers);
  const put = (path: string, raw: string, headers: Record<string, string> = {}) =>
    request(gms.url).put(`${BASE}${path}`).set(headers).set('Content-Type', 'application/json').send(raw);

  async function startService(body: Json = {}, headers: Record<string, string> = {}): Promise<string> {
    const res = await post('/services/start', { customer_id: 'CUST-S', ...body }, headers);
    expect(res.status).toBe(201);
    return (res.body as { service_id: string }).service_id;
  }

  async function startState(sid: string, body: Json = {}, headers: Record<string, string> = {}) {
    const res = await post(`/services/${sid}/states/start`, body, headers);
    expect(res.status).toBe(201);
    return (res.body as { state_id: number }).state_id;
  }

  async function serviceRow(sid: string): Promise<ServiceRow> {
    const rows = (await gms.app
      .get(DataSource)
      .query(
        'SELECT updated_at, expires_at, auto_complete_at, last_state_id FROM services WHERE service_id = ?',
        [sid],
      )) as Record<keyof ServiceRow, string | number | null>[];
    const row = rows[0];
    return {
      updated_at: Number(row.updated_at),
      expires_at: Number(row.expires_at),
      auto_complete_at: row.auto_complete_at === null ? null : Number(row.auto_complete_at),
      last_state_id: Number(row.last_state_id),
    };
  }

  async function stateCount(sid: string): Promise<number> {
    const rows = (await gms.app
      .get(DataSource)
      .query('SELECT COUNT(*) AS n FROM states WHERE service_id = ?', [sid])) as { n: string | number }[];
    return Number(rows[0].n);
  }

  const eventFor = (type: string, match: (data: Json) => boolean) =>
    listener.next((e: EventEnvelope) => e.type === type && match(e.data as Json));

  describe('§4.14 Start State', () => {
    it('§2.5 gives unique consecutive ids to concurrent starts on one service', async () => {
      const sid = await startService();
      const ids = await Promise.all(Array.from({ length: 12 }, () => startState(sid)));
      expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      expect((await serviceRow(sid)).last_state_id).toBe(12);
    });

    it('§2.5 never reuses an id after a failed start', async () => {
      const sid = await startService();
      expect(await startState(sid)).toBe(1);
      expect((await post(`/services/${sid}/states/start`, { previous_state_id: 9 })).status).toBe(400);
      expect(await startState(sid)).toBe(2);
    });

    it('§4 conventions: touches the service (last update, sliding expiration, auto-complete deadline)', async () => {
      const sid = await startService({ auto_complete_after: 600 });
      const before = await serviceRow(sid);
      expect(before.auto_complete_at).toBe(before.updated_at + 600_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await startState(sid);
      const after = await serviceRow(sid);
      expect(after.updated_at).toBeGreaterThan(before.updated_at);
      expect(after.expires_at - after.updated_at).toBe(before.expires_at - before.updated_at);
      expect(after.auto_complete_at).toBe(after.updated_at + 600_000);
    });

    it('§1.7 keeps an explicit expiration when a state is written', async () => {
      const sid = await startService({ ttl: 3600 });
      const before = await serviceRow(sid);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await startState(sid);
      const after = await serviceRow(sid);
      expect(after.updated_at).toBeGreaterThan(before.updated_at);
      expect(after.expires_at).toBe(before.expires_at);
    });

    it('§1.6 answers a service of another GroupId as unknown and writes nothing', async () => {
      const sid = await startService({}, { GroupId: 'blue' });
      const res = await post(`/services/${sid}/states/start`, {}, { GroupId: 'red' });
      expectErrorResponse(res, {
        status: 400,
        code: 'SERVICE_NOT_FOUND',
        method: 'POST',
        uri: `${BASE}/services/${sid}/states/start`,
        message: `There are no service found for : ${sid}`,
        exception: NOT_FOUND_EXCEPTION,
      });
      expect(await stateCount(sid)).toBe(0);
      expect(await startState(sid, {}, { GroupId: 'blue' })).toBe(1);
    });

    it('§1.6 answers a service of another tenant as unknown', async () => {
      const sid = await startService({}, { ContactCenterId: '301' });
      expect((await post(`/services/${sid}/states/start`, {}, { ContactCenterId: '302' })).status).toBe(400);
      expect(await stateCount(sid)).toBe(0);
    });

    it('§4 conventions: treats an expired service as unknown for writes', async () => {
      const sid = await startService({ ttl: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const res = await post(`/services/${sid}/states/start`, {});
      expect(res.status).toBe(400);
      expect((res.body as Json).code).toBe('SERVICE_NOT_FOUND');
    });

    it('§2.3 rejects a body that is not an object with 400 MALFORMED_JSON', async () => {
      const sid = await startService();
      const res = await request(gms.url)
        .post(`${BASE}/services/${sid}/states/start`)
        .set('Content-Type', 'application/json')
        .send('[1]');
      expectErrorResponse(res, {
        status: 400,
        code: 'MALFORMED_JSON',
        method: 'POST',
        uri: `${BASE}/services/${sid}/states/start`,
        message: expect.stringContaining('Invalid JSON body'),
        exception: GMS_EXCEPTION,
      });
    });
  });

  describe('§4.16 Perform State Transition', () => {
    it('§4.16 is atomic: a rejected transition completes nothing and allocates no id', async () => {
      const sid = await startService();
      const first = await startState(sid);
      const res = await post(`/services/${sid}/states/transition`, {
        from: { state_id: first },
        to: { state_type: { bad: true } },
      });
      expect(res.status).toBe(400);
      expect((res.body as Json).message).toContain("'to.state_type'");
      const state = (await get(`/services/${sid}/states/${first}`)).body as Json;
      expect(state.completed).toBeUndefined();
      expect((await serviceRow(sid)).last_state_id).toBe(1);
    });

    it.each([
      ['no from', { to: {} }, 'MISSING_FIELD', "'from'"],
      ['no to', { from: { state_id: 1 } }, 'MISSING_FIELD', "'to'"],
      ['from not an object', { from: 1, to: {} }, 'INVALID_VALUE', "'from'"],
      ['no from.state_id', { from: {}, to: {} }, 'MISSING_FIELD', "'from.state_id'"],
      ['from.state_id "x"', { from: { state_id: 'x' }, to: {} }, 'INVALID_VALUE', "'from.state_id'"],
      [
        'a from.disposition_desc over 64 characters',
        { from: { state_id: 1, disposition_desc: 'd'.repeat(65) }, to: {} },
        'FIELD_TOO_LONG',
        "'from.disposition_desc'",
      ],
    ])('§3.8 rejects %s with 400 %s', async (_name, body, code, field) => {
      const sid = await startService();
      await startState(sid);
      const res = await post(`/services/${sid}/states/transition`, body);
      expectErrorResponse(res, {
        status: 400,
        code,
        method: 'POST',
        uri: `${BASE}/services/${sid}/states/transition`,
        message: expect.stringContaining(field),
        exception: GMS_EXCEPTION,
      });
    });

    it('§4.16 answers a completed from state with 400 ALREADY_COMPLETED', async () => {
      const sid = await startService();
      const first = await startState(sid);
      expect((await post(`/services/${sid}/states/${first}/end`)).status).toBe(204);
      const res = await post(`/services/${sid}/states/transition`, { from: { state_id: first }, to: {} });
      expectErrorResponse(res, {
        status: 400,
        code: 'ALREADY_COMPLETED',
        method: 'POST',
        uri: `${BASE}/services/${sid}/states/transition`,
        message: `State ${first} is already completed`,
        exception: GMS_EXCEPTION,
      });
    });
  });

  describe('§4.15 Complete State', () => {
    it('§4.15 answers a second end with 400 ALREADY_COMPLETED', async () => {
      const sid = await startService();
      const id = await startState(sid);
      expect((await post(`/services/${sid}/states/${id}/end`, {})).status).toBe(204);
      const res = await post(`/services/${sid}/states/${id}/end`, {});
      expectErrorResponse(res, {
        status: 400,
        code: 'ALREADY_COMPLETED',
        method: 'POST',
        uri: `${BASE}/services/${sid}/states/${id}/end`,
        message: `State ${id} is already completed`,
        exception: GMS_EXCEPTION,
      });
    });

    it('§4.15 answers an unknown state with 400 STATE_NOT_FOUND', async () => {
      const sid = await startService();
      const res = await post(`/services/${sid}/states/7/end`);
      expectErrorResponse(res, {
        status: 400,
        code: 'STATE_NOT_FOUND',
        method: 'POST',
        uri: `${BASE}/services/${sid}/states/7/end`,
        message: `There are no state found for : ${sid}/7`,
        exception: NOT_FOUND_EXCEPTION,
      });
    });

    it.each(['abc', '1.5', '-1', '99999999999'])(
      '§2.5 answers the state id %s with 400 INVALID_PARAMETER',
      async (raw) => {
        const sid = await startService();
        const res = await post(`/services/${sid}/states/${raw}/end`);
        expectErrorResponse(res, {
          status: 400,
          code: 'INVALID_PARAMETER',
          method: 'POST',
          uri: `${BASE}/services/${sid}/states/${raw}/end`,
          message: expect.stringContaining("'state_id'"),
          exception: GMS_EXCEPTION,
        });
      },
    );
  });

  describe('§4.19 Update State Extension', () => {
    it.each(['state_type', 'started', 'previous_state_id', 'timestamp', 'disposition'])(
      '§2.7 rejects the reserved name %s with 400 RESERVED_EXTENSION_NAME',
      async (name) => {
        const sid = await startService();
        const id = await startState(sid);
        const res = await put(`/services/${sid}/states/${id}/extensions/${name}`, '{"a":1}');
        expectErrorResponse(res, {
          status: 400,
          code: 'RESERVED_EXTENSION_NAME',
          method: 'PUT',
          uri: `${BASE}/services/${sid}/states/${id}/extensions/${name}`,
          message: `'${name}' is a reserved field name and cannot be used as an extension`,
          exception: GMS_EXCEPTION,
        });
      },
    );

    it('§2.7 accepts any JSON value but null', async () => {
      const sid = await startService();
      const id = await startState(sid);
      for (const raw of ['"text"', '42', 'true', '[1,2]', '{"a":{"b":[]}}']) {
        const res = await put(`/services/${sid}/states/${id}/extensions/V`, raw);
        expect({ status: res.status, text: res.text }).toEqual({ status: 200, text: '' });
        const state = (await get(`/services/${sid}/states/${id}?extensions=V`)).body as Json;
        expect(state.V).toEqual(JSON.parse(raw));
      }
      const res = await put(`/services/${sid}/states/${id}/extensions/V`, 'null');
      expect(res.status).toBe(400);
      expect((res.body as Json).code).toBe('INVALID_VALUE');
    });
  });

  describe('§2.1 routing', () => {
    it.each([
      ['PUT', '/states/start'],
      ['DELETE', '/states/1'],
      ['PUT', '/states/1/end'],
      ['POST', '/states/1/extensions/X'],
      ['GET', '/states/1/extensions/X'],
    ])('answers %s %s with 405', async (method, path) => {
      const sid = await startService();
      const uri = `${BASE}/services/${sid}${path}`;
      const res = await request(gms.url)[method.toLowerCase() as 'get'](uri);
      expectErrorResponse(res, {
        status: 405,
        code: 'METHOD_NOT_ALLOWED',
        method,
        uri,
        message: expect.stringContaining(method),
        exception: GMS_EXCEPTION,
      });
    });

    it('takes GET /states/transition for the state id "transition": 400 INVALID_PARAMETER (like GET /services/start)', async () => {
      const sid = await startService();
      const res = await get(`/services/${sid}/states/transition`);
      expect(res.status).toBe(400);
      expect((res.body as Json).code).toBe('INVALID_PARAMETER');
    });
  });

  describe('events (ARCHITECTURE §6)', () => {
    it(`${EventSubjects.gmsStateStarted}: the state in top-level form with every extension`, async () => {
      const sid = await startService({ customer_id: 'CUST-EV' });
      const id = await startState(sid, { state_type: 'Ident', timestamp: T0, Feedback: { a: 1 } });
      const event = await eventFor(EventSubjects.gmsStateStarted, (d) => d.service_id === sid);
      expect(event).toEqual({
        id: expect.any(String),
        type: EventSubjects.gmsStateStarted,
        occurred_at: expect.any(String),
        tenant: expect.any(String),
        data: {
          service_id: sid,
          customer_id: 'CUST-EV',
          state_id: id,
          state_type: 'Ident',
          started: { timestamp: T0 },
          Feedback: { a: 1 },
        },
      });
    });

    it(`${EventSubjects.gmsStateCompleted} and ${EventSubjects.gmsStateExtensionUpdated} (meta.extension, meta.group_id)`, async () => {
      const headers = { GroupId: 'unit-7' };
      const sid = await startService({}, headers);
      const id = await startState(sid, { timestamp: T0 }, headers);
      expect((await put(`/services/${sid}/states/${id}/extensions/Note`, '"n"', headers)).status).toBe(200);
      const updated = await eventFor(EventSubjects.gmsStateExtensionUpdated, (d) => d.service_id === sid);
      expect(updated.meta).toEqual({ extension: 'Note', group_id: 'unit-7' });
      expect(updated.data).toMatchObject({ state_id: id, Note: 'n' });
      expect(
        (await post(`/services/${sid}/states/${id}/end`, { timestamp: T1, disposition: 'ok' }, headers))
          .status,
      ).toBe(204);
      const completed = await eventFor(EventSubjects.gmsStateCompleted, (d) => d.service_id === sid);
      expect(completed.meta).toEqual({ group_id: 'unit-7' });
      expect(completed.data).toMatchObject({
        state_id: id,
        completed: { timestamp: T1 },
        duration: 60_000,
        disposition: 'ok',
        Note: 'n',
      });
    });

    it(`${EventSubjects.gmsStateTransitioned}: data {from, to}`, async () => {
      const sid = await startService();
      const first = await startState(sid, { timestamp: T0 });
      const res = await post(`/services/${sid}/states/transition`, {
        from: { state_id: first, disposition: 'done' },
        to: { state_type: 'Next' },
        timestamp: T1,
        Offer: 1,
      });
      expect(res.status).toBe(201);
      const event = await eventFor(
        EventSubjects.gmsStateTransitioned,
        (d) => (d.from as Json | undefined)?.service_id === sid,
      );
      expect(event.data).toEqual({
        from: {
          service_id: sid,
          customer_id: 'CUST-S',
          state_id: first,
          started: { timestamp: T0 },
          completed: { timestamp: T1 },
          duration: 60_000,
          disposition: 'done',
        },
        to: {
          service_id: sid,
          customer_id: 'CUST-S',
          state_id: (res.body as { state_id: number }).state_id,
          state_type: 'Next',
          started: { timestamp: T1, previous_state_id: first },
          Offer: 1,
        },
      });
    });

    it('publishes nothing for a rejected write', async () => {
      const sid = await startService();
      expect((await post(`/services/${sid}/states/3/end`)).status).toBe(400);
      const marker = await startState(sid);
      await eventFor(EventSubjects.gmsStateStarted, (d) => d.service_id === sid && d.state_id === marker);
      const forService = listener.events.filter((e) => (e.data as Json).service_id === sid);
      expect(forService.map((e) => e.type)).toEqual([
        EventSubjects.gmsServiceStarted,
        EventSubjects.gmsStateStarted,
      ]);
    });
  });
});
