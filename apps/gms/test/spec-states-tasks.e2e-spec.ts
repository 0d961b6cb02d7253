/**
 * State and task operations §4.14–§4.24 of /work/shared/spec/gms-services.md, written from the spec
 * alone (not from the implementation) so that a misreading on either side shows up as a failure.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { expectErrorResponse, testBackends } from '@cs/testing';
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

/** 2024-03-04T09:<minute>:<second>Z — explicit event times keep every ordering deterministic. */
const at = (minute: number, second = 0) => new Date(Date.UTC(2024, 2, 4, 9, minute, second)).toISOString();
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

const notFound = (method: string, uri: string, message: string): ExpectedError => ({
  status: 400,
  method,
  uri,
  message,
  exception: NOT_FOUND_EXCEPTION,
});
const serviceNotFound = (method: string, uri: string, serviceId: string): ExpectedError => ({
  ...notFound(method, uri, `There are no service found for : ${serviceId}`),
  code: 'SERVICE_NOT_FOUND',
});
const stateNotFound = (method: string, uri: string, serviceId: string, stateId: number) =>
  notFound(method, uri, `There are no state found for : ${serviceId}/${stateId}`);
const taskNotFound = (method: string, uri: string, serviceId: string, taskId: number) =>
  notFound(method, uri, `There are no task found for : ${serviceId}/${taskId}`);

describe.each(testBackends().map((b) => [b.name, b] as const))('gms states and tasks (%s)', (_, backend) => {
  let gms: StartedGms;

  beforeAll(async () => {
    gms = await startGms(backend);
  });

  afterAll(async () => {
    await gms?.close();
  });

  const post = (path: string, body?: unknown) => {
    const req = request(gms.url).post(path);
    return body === undefined ? req : req.send(body as object);
  };
  const put = (path: string, raw: string) =>
    request(gms.url).put(path).set('Content-Type', 'application/json').send(raw);
  const get = (path: string) => request(gms.url).get(path);

  async function startService(body: Json = {}): Promise<string> {
    const res = await post(`${BASE}/services/start`, { contact_key: 'K-ST', ...body });
    expect(res.status).toBe(201);
    return (res.body as { service_id: string }).service_id;
  }

  async function created<K extends 'state_id' | 'task_id'>(res: Promise<request.Response>, key: K) {
    const done = await res;
    expect(done.status).toBe(201);
    expect(Object.keys(done.body as object)).toEqual([key]);
    const id = (done.body as Record<K, number>)[key];
    expect(Number.isInteger(id)).toBe(true);
    return id;
  }

  const startState = (sid: string, body?: Json) =>
    created(post(`${BASE}/services/${sid}/states/start`, body), 'state_id');
  const startTask = (sid: string, body?: Json) =>
    created(post(`${BASE}/services/${sid}/tasks/start`, body), 'task_id');
  const transition = (sid: string, body: Json) =>
    created(post(`${BASE}/services/${sid}/states/transition`, body), 'state_id');

  async function expectEmpty(res: Promise<request.Response>, status: number) {
    const done = await res;
    expect({ status: done.status, text: done.text }).toEqual({ status, text: '' });
  }

  const endState = (sid: string, stateId: number, body?: Json) =>
    expectEmpty(post(`${BASE}/services/${sid}/states/${stateId}/end`, body), 204);
  const endTask = (sid: string, taskId: number, body?: Json) =>
    expectEmpty(post(`${BASE}/services/${sid}/tasks/${taskId}/end`, body), 204);
  const endService = (sid: string, body?: Json) =>
    expectEmpty(post(`${BASE}/services/${sid}/end`, body), 204);

  async function read<T = Json>(path: string): Promise<T> {
    const res = await get(`${BASE}${path}`);
    expect(res.status).toBe(200);
    return res.body as T;
  }

  const stateIds = (states: Json[]) => states.map((s) => s.state_id);
  const taskIds = (tasks: Json[]) => tasks.map((t) => t.task_id);

  describe('§4.14 Start State and §4.20 Start Task: ids', () => {
    it('§2.5 numbers states and tasks 1, 2, 3 per service with separate counters', async () => {
      const sid = await startService();
      expect(await startState(sid)).toBe(1);
      expect(await startTask(sid)).toBe(1);
      expect(await startTask(sid)).toBe(2);
      expect(await startState(sid)).toBe(2);
      expect(await startTask(sid)).toBe(3);
      expect(await startState(sid)).toBe(3);

      const other = await startService();
      expect(await startTask(other)).toBe(1);
      expect(await startState(other)).toBe(1);
    });

    it('§4.14 accepts no body and {} (201 with exactly {state_id})', async () => {
      const sid = await startService();
      expect(await startState(sid)).toBe(1);
      expect(await startState(sid, {})).toBe(2);
      expect(await startTask(sid)).toBe(1);
      expect(await startTask(sid, {})).toBe(2);
    });

    it('§4.14 stores state_type, est_duration, started and extensions of a state', async () => {
      const customer = `C-${uid()}`;
      const sid = await startService({ customer_id: customer });
      const id = await startState(sid, {
        state_type: 'CustomerIdentification',
        est_duration: 60,
        application_type: 'IVR',
        application_id: '211',
        interaction_id: 51,
        timestamp: '2024-03-04T10:15:03+01:00',
        Feedback: { channel: 'ivr' },
      });
      expect(await read(`/services/${sid}/states/${id}?extensions=*`)).toEqual({
        service_id: sid,
        customer_id: customer,
        state_id: id,
        state_type: 'CustomerIdentification',
        est_duration: 60,
        started: {
          application_type: 'IVR',
          application_id: 211,
          interaction_id: '51',
          timestamp: '2024-03-04T09:15:03.000Z',
        },
        Feedback: { channel: 'ivr' },
      });
    });

    it('§4.14 stores previous_state_id in started when it names a state of the service', async () => {
      const sid = await startService();
      const first = await startState(sid, { timestamp: at(1) });
      await endState(sid, first, { timestamp: at(2) });
      const second = await startState(sid, { previous_state_id: first, timestamp: at(3), state_type: 4 });
      const view = await read(`/services/${sid}/states/${second}`);
      expect(view.started).toEqual({ previous_state_id: first, timestamp: at(3) });
      expect(view.state_type).toBe(4);
    });

    it('§4.14 rejects an unknown previous_state_id with 400 NotFoundException and creates nothing', async () => {
      const sid = await startService();
      const other = await startService();
      await startState(other);
      await startState(other);
      const uri = `${BASE}/services/${sid}/states/start`;
      for (const previous of [99, 1]) {
        expectError(await post(uri, { previous_state_id: previous }), {
          status: 400,
          method: 'POST',
          uri,
          message: contains(String(previous)),
          exception: NOT_FOUND_EXCEPTION,
        });
      }
      expect(await read(`/services/${sid}/states`)).toEqual([]);
      expect(await startState(sid)).toBe(1);
    });

    it.each([
      ['a string', 'abc'],
      ['zero', 0],
      ['a fraction', 1.5],
      ['an object', { id: 1 }],
    ])('§2.11 rejects a previous_state_id that is %s with 400', async (_name, previous) => {
      const sid = await startService();
      await startState(sid);
      const uri = `${BASE}/services/${sid}/states/start`;
      expectError(await post(uri, { previous_state_id: previous }), {
        status: 400,
        method: 'POST',
        uri,
        message: contains('previous_state_id'),
      });
    });

    it('§4.14 allows several active states at once', async () => {
      const sid = await startService();
      await startState(sid, { timestamp: at(1) });
      await startState(sid, { timestamp: at(2) });
      await startState(sid, { timestamp: at(3) });
      expect(stateIds(await read<Json[]>(`/services/${sid}/states/active`))).toEqual([1, 2, 3]);
    });

    it('§4.14/§4.20 allow starts on a completed service', async () => {
      const sid = await startService();
      await endService(sid);
      expect(await startState(sid)).toBe(1);
      expect(await startTask(sid, { state_id: 1 })).toBe(1);
      expect(stateIds(await read<Json[]>(`/services/${sid}/states/active`))).toEqual([1]);
    });

    it('§4.14/§4.20 answer an unknown service with 400 NotFoundException', async () => {
      for (const what of ['states', 'tasks']) {
        const uri = `${BASE}/services/${UNKNOWN_SERVICE}/${what}/start`;
        expectError(await post(uri, {}), serviceNotFound('POST', uri, UNKNOWN_SERVICE));
      }
    });

    it('§4.20 links a task to a state, active or completed, and stores its fields', async () => {
      const sid = await startService();
      const active = await startState(sid);
      const done = await startState(sid);
      await endState(sid, done);
      const inActive = await startTask(sid, {
        state_id: active,
        task_type: 'SendResetLink',
        est_duration: 30,
        media_type: 'sms',
        timestamp: at(5),
        Target: { msisdn: '+33655550199' },
      });
      const inDone = await startTask(sid, { state_id: String(done), timestamp: at(6) });
      expect(await read(`/services/${sid}/tasks/${inActive}?extensions=Target`)).toEqual({
        service_id: sid,
        task_id: inActive,
        state_id: active,
        task_type: 'SendResetLink',
        est_duration: 30,
        started: { media_type: 'sms', timestamp: at(5) },
        Target: { msisdn: '+33655550199' },
      });
      expect(await read(`/services/${sid}/tasks/${inDone}`)).toEqual({
        service_id: sid,
        task_id: inDone,
        state_id: done,
        started: { timestamp: at(6) },
      });
    });

    it('§4.20 rejects a state_id that names no state of the service with 400 NotFoundException', async () => {
      const sid = await startService();
      const other = await startService();
      await startState(other);
      const uri = `${BASE}/services/${sid}/tasks/start`;
      expectError(await post(uri, { state_id: 1 }), {
        status: 400,
        method: 'POST',
        uri,
        message: contains('1'),
        exception: NOT_FOUND_EXCEPTION,
      });
      expect(await read(`/services/${sid}/tasks`)).toEqual([]);
    });

    it.each([
      ['a string', 'one'],
      ['zero', 0],
      ['a fraction', 2.5],
    ])('§2.11 rejects a task state_id that is %s with 400', async (_name, stateId) => {
      const sid = await startService();
      await startState(sid);
      const uri = `${BASE}/services/${sid}/tasks/start`;
      expectError(await post(uri, { state_id: stateId }), {
        status: 400,
        method: 'POST',
        uri,
        message: contains('state_id'),
      });
    });

    it('§2.11 rejects a state start with a too long session_id (400) and allocates no id', async () => {
      const sid = await startService();
      const uri = `${BASE}/services/${sid}/states/start`;
      expectError(await post(uri, { session_id: 's'.repeat(33) }), {
        status: 400,
        method: 'POST',
        uri,
        message: contains('session_id'),
      });
      expect(await startState(sid)).toBe(1);
    });
  });

  describe('§4.15 Complete State and §4.21 Complete Task', () => {
    it('§4.15 answers 204 and records completed, duration, disposition and merged extensions', async () => {
      const sid = await startService();
      const id = await startState(sid, { timestamp: at(1), media_type: 'voice', A: 1, B: 'b' });
      await endState(sid, id, {
        timestamp: at(2, 30),
        disposition: 'Identified',
        disposition_desc: 'PIN matched',
        resource_id: 12,
        B: 'replaced',
        C: [3],
      });
      expect(await read(`/services/${sid}/states/${id}?extensions=*`)).toEqual({
        service_id: sid,
        state_id: id,
        started: { media_type: 'voice', timestamp: at(1) },
        completed: { resource_id: 12, timestamp: at(2, 30) },
        duration: ms(at(1), at(2, 30)),
        disposition: 'Identified',
        disposition_desc: 'PIN matched',
        A: 1,
        B: 'replaced',
        C: [3],
      });
    });

    it('§4.15 does not complete the tasks of the state', async () => {
      const sid = await startService();
      const id = await startState(sid);
      const taskId = await startTask(sid, { state_id: id });
      await endState(sid, id);
      expect(await read(`/services/${sid}/tasks/${taskId}`)).not.toHaveProperty('completed');
      expect(taskIds(await read<Json[]>(`/services/${sid}/tasks/active`))).toEqual([taskId]);
    });

    it('§4.15 answers a second end with 400 (already completed) and changes nothing', async () => {
      const sid = await startService();
      const id = await startState(sid, { timestamp: at(1) });
      await endState(sid, id, { timestamp: at(2), disposition: 'First' });
      const uri = `${BASE}/services/${sid}/states/${id}/end`;
      expectError(await post(uri, { disposition: 'Second', timestamp: at(3) }), {
        status: 400,
        method: 'POST',
        uri,
        message: contains(String(id)),
      });
      expect(await read(`/services/${sid}/states/${id}`)).toMatchObject({
        completed: { timestamp: at(2) },
        disposition: 'First',
      });
    });

    it('§4.21 answers 204 and records the end of a task; a second end is 400', async () => {
      const sid = await startService();
      const id = await startTask(sid, { timestamp: at(1), task_type: 'CollectPin' });
      await endTask(sid, id, { timestamp: at(1, 51), disposition: 'PinOk', Result: { ok: true } });
      expect(await read(`/services/${sid}/tasks/${id}?extensions=Result`)).toEqual({
        service_id: sid,
        task_id: id,
        task_type: 'CollectPin',
        started: { timestamp: at(1) },
        completed: { timestamp: at(1, 51) },
        duration: 51000,
        disposition: 'PinOk',
        Result: { ok: true },
      });
      const uri = `${BASE}/services/${sid}/tasks/${id}/end`;
      expectError(await post(uri), { status: 400, method: 'POST', uri, message: contains(String(id)) });
    });

    it('§4.21 accepts no body: completed.timestamp is the receive time', async () => {
      const sid = await startService();
      const id = await startTask(sid);
      const before = Date.now();
      await endTask(sid, id);
      const after = Date.now();
      const task = await read(`/services/${sid}/tasks/${id}`);
      const completed = task.completed as { timestamp: string };
      expect(completed).toEqual({ timestamp: expect.stringMatching(MS_Z) });
      expect(Date.parse(completed.timestamp)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(completed.timestamp)).toBeLessThanOrEqual(after);
      expect(task.duration).toBe(ms((task.started as { timestamp: string }).timestamp, completed.timestamp));
    });

    it('§4.15/§4.21 answer unknown ids with 400 NotFoundException and the recommended messages', async () => {
      const sid = await startService();
      const stateUri = `${BASE}/services/${sid}/states/7/end`;
      expectError(await post(stateUri, {}), stateNotFound('POST', stateUri, sid, 7));
      const taskUri = `${BASE}/services/${sid}/tasks/8/end`;
      expectError(await post(taskUri, {}), taskNotFound('POST', taskUri, sid, 8));
      const unknownService = `${BASE}/services/${UNKNOWN_SERVICE}/states/1/end`;
      expectError(await post(unknownService, {}), serviceNotFound('POST', unknownService, UNKNOWN_SERVICE));
    });

    it('§2.5 answers a non-integer state or task id in an end path with 400', async () => {
      const sid = await startService();
      await startState(sid);
      await startTask(sid);
      for (const [what, bad] of [
        ['states', 'abc'],
        ['states', '1.5'],
        ['tasks', 'x1'],
        ['tasks', '2x'],
      ]) {
        const uri = `${BASE}/services/${sid}/${what}/${bad}/end`;
        expectError(await post(uri, {}), {
          status: 400,
          method: 'POST',
          uri,
          message: expect.stringMatching(new RegExp(`${what === 'states' ? 'state_id' : 'task_id'}|${bad}`)),
        });
      }
    });

    it('§2.11 rejects a task end with a disposition_desc over 64 characters and keeps the task active', async () => {
      const sid = await startService();
      const id = await startTask(sid);
      const uri = `${BASE}/services/${sid}/tasks/${id}/end`;
      expectError(await post(uri, { disposition_desc: 'x'.repeat(65) }), {
        status: 400,
        method: 'POST',
        uri,
        message: contains('disposition_desc'),
      });
      expect(await read(`/services/${sid}/tasks/${id}`)).not.toHaveProperty('completed');
    });
  });

  describe('§4.16 Perform State Transition', () => {
    it('§4.16 completes `from` and starts the new state in one step with shared event fields and one timestamp', async () => {
      const customer = `C-${uid()}`;
      const sid = await startService({ customer_id: customer });
      await startState(sid, { timestamp: at(1), state_type: 'WaitingForAgent', Old: 'o' });
      const newId = await transition(sid, {
        from: { state_id: 1, disposition: 'AgentFound', disposition_desc: 'found quickly' },
        to: { state_type: 'DeliveringService', est_duration: 600 },
        interaction_id: '00A1B2C3D4E5F601',
        resource_type: 'AgentDesktop',
        resource_id: 1207,
        timestamp: at(5),
        Survey: { asked: true },
        service_id: 'ignored',
      });
      expect(newId).toBe(2);

      expect(await read(`/services/${sid}/states/1?extensions=*`)).toEqual({
        service_id: sid,
        customer_id: customer,
        state_id: 1,
        state_type: 'WaitingForAgent',
        started: { timestamp: at(1) },
        completed: {
          interaction_id: '00A1B2C3D4E5F601',
          resource_type: 'AgentDesktop',
          resource_id: 1207,
          timestamp: at(5),
        },
        duration: ms(at(1), at(5)),
        disposition: 'AgentFound',
        disposition_desc: 'found quickly',
        Old: 'o',
      });
      expect(await read(`/services/${sid}/states/2?extensions=*`)).toEqual({
        service_id: sid,
        customer_id: customer,
        state_id: 2,
        state_type: 'DeliveringService',
        est_duration: 600,
        started: {
          previous_state_id: 1,
          interaction_id: '00A1B2C3D4E5F601',
          resource_type: 'AgentDesktop',
          resource_id: 1207,
          timestamp: at(5),
        },
        Survey: { asked: true },
      });
      expect(stateIds(await read<Json[]>(`/services/${sid}/states/active`))).toEqual([2]);
      expect(stateIds(await read<Json[]>(`/services/${sid}/states/completed`))).toEqual([1]);
    });

    it('§4.16 uses one receive-time timestamp for both states when none is given', async () => {
      const sid = await startService();
      await startState(sid, { timestamp: at(1) });
      const before = Date.now();
      const newId = await transition(sid, { from: { state_id: 1 }, to: {} });
      const after = Date.now();
      const old = await read(`/services/${sid}/states/1`);
      const next = await read(`/services/${sid}/states/${newId}`);
      const { timestamp } = old.completed as { timestamp: string };
      expect(old.completed).toEqual({ timestamp: expect.stringMatching(MS_Z) });
      expect(Date.parse(timestamp)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(timestamp)).toBeLessThanOrEqual(after);
      expect(next.started).toEqual({ previous_state_id: 1, timestamp });
      expect(old).not.toHaveProperty('disposition');
    });

    it('§4.16 allocates the next state id after states and transitions alike', async () => {
      const sid = await startService();
      await startState(sid);
      await startState(sid);
      expect(await transition(sid, { from: { state_id: 2 }, to: {} })).toBe(3);
      expect(await transition(sid, { from: { state_id: 1 }, to: {} })).toBe(4);
      expect(await startState(sid)).toBe(5);
    });

    const invalidBodies: [string, Json, string][] = [
      ['no from', { to: {} }, "'from'"],
      ['no to', { from: { state_id: 1 } }, "'to'"],
      ['from that is not an object', { from: 1, to: {} }, "'from'"],
      ['to that is not an object', { from: { state_id: 1 }, to: 'next' }, "'to'"],
      ['from without state_id', { from: { disposition: 'x' }, to: {} }, 'state_id'],
      ['a from.state_id that is not an integer', { from: { state_id: 'one' }, to: {} }, 'state_id'],
      ['a fractional from.state_id', { from: { state_id: 1.5 }, to: {} }, 'state_id'],
      [
        'a from.disposition_desc over 64 characters',
        { from: { state_id: 1, disposition_desc: 'd'.repeat(65) }, to: {} },
        'disposition_desc',
      ],
      ['a negative to.est_duration', { from: { state_id: 1 }, to: { est_duration: -1 } }, 'est_duration'],
      [
        'a to.state_type that is an object',
        { from: { state_id: 1 }, to: { state_type: { a: 1 } } },
        'state_type',
      ],
      [
        'a shared session_id over 32 characters',
        { from: { state_id: 1 }, to: {}, session_id: 's'.repeat(33) },
        'session_id',
      ],
      ['a new-state extension that is null', { from: { state_id: 1 }, to: {}, Survey: null }, 'Survey'],
    ];

    it.each(invalidBodies)('§4.16 rejects %s with 400 and changes nothing', async (_name, body, field) => {
      const sid = await startService();
      await startState(sid, { timestamp: at(1) });
      const uri = `${BASE}/services/${sid}/states/transition`;
      expectError(await post(uri, body), { status: 400, method: 'POST', uri, message: contains(field) });
      expect(await read(`/services/${sid}/states`)).toEqual([
        { service_id: sid, state_id: 1, started: { timestamp: at(1) } },
      ]);
    });

    it('§4.16 answers an unknown from.state_id with 400 NotFoundException', async () => {
      const sid = await startService();
      await startState(sid);
      const uri = `${BASE}/services/${sid}/states/transition`;
      expectError(await post(uri, { from: { state_id: 9 }, to: {} }), stateNotFound('POST', uri, sid, 9));
      expect(stateIds(await read<Json[]>(`/services/${sid}/states`))).toEqual([1]);
    });

    it('§4.16 answers a completed from state with 400 (already completed), not NotFound', async () => {
      const sid = await startService();
      await startState(sid, { timestamp: at(1) });
      await endState(sid, 1, { timestamp: at(2), disposition: 'Done' });
      const uri = `${BASE}/services/${sid}/states/transition`;
      expectError(await post(uri, { from: { state_id: 1, disposition: 'Again' }, to: {} }), {
        status: 400,
        method: 'POST',
        uri,
        message: contains('1'),
      });
      expect(await read(`/services/${sid}/states`)).toEqual([
        {
          service_id: sid,
          state_id: 1,
          started: { timestamp: at(1) },
          completed: { timestamp: at(2) },
          duration: ms(at(1), at(2)),
          disposition: 'Done',
        },
      ]);
    });

    it('§4.16 answers an unknown service with 400 NotFoundException', async () => {
      const uri = `${BASE}/services/${UNKNOWN_SERVICE}/states/transition`;
      expectError(
        await post(uri, { from: { state_id: 1 }, to: {} }),
        serviceNotFound('POST', uri, UNKNOWN_SERVICE),
      );
    });
  });

  describe('§4.17–§4.18 Query States and §4.22–§4.23 Query Tasks', () => {
    const customer = `C-Q-${uid()}`;
    let sid: string;
    let anonymous: string;

    /*
     * States: 1 (type 1, completed), 2 (type "Waiting", active), 3 (type "1", active).
     * Tasks: 1 in state 1 completed, 2 in state 2 active, 3 in state 2 completed, 4 no state active,
     * 5 in state 3 active (type 12).
     */
    beforeAll(async () => {
      sid = await startService({ customer_id: customer, timestamp: at(0) });
      await startState(sid, { state_type: 1, timestamp: at(1), Mood: 'calm' });
      await startState(sid, { state_type: 'Waiting', timestamp: at(2) });
      await startState(sid, { state_type: '1', timestamp: at(3) });
      await endState(sid, 1, { timestamp: at(4), disposition: 'Ok' });
      await startTask(sid, { state_id: 1, task_type: 'CollectPin', timestamp: at(1, 10), Note: 'pin' });
      await startTask(sid, { state_id: 2, task_type: 'Search', timestamp: at(2, 10) });
      await startTask(sid, { state_id: 2, task_type: 'CollectPin', timestamp: at(2, 20) });
      await startTask(sid, { task_type: 'Survey', timestamp: at(2, 30) });
      await startTask(sid, { state_id: 3, task_type: 12, timestamp: at(3, 10) });
      await endTask(sid, 1, { timestamp: at(1, 40), disposition: 'PinOk' });
      await endTask(sid, 3, { timestamp: at(2, 50) });
      anonymous = await startService({ contact_key: 'K-ANON' });
      await startState(anonymous, { timestamp: at(1) });
      await startTask(anonymous, { state_id: 1, timestamp: at(2) });
    });

    const state1 = () => ({
      state_id: 1,
      state_type: 1,
      started: { timestamp: at(1) },
      completed: { timestamp: at(4) },
      duration: ms(at(1), at(4)),
      disposition: 'Ok',
    });
    const task1 = () => ({
      task_id: 1,
      state_id: 1,
      task_type: 'CollectPin',
      started: { timestamp: at(1, 10) },
      completed: { timestamp: at(1, 40) },
      duration: 30000,
      disposition: 'PinOk',
    });

    it.each([
      ['', [1, 2, 3]],
      ['/active', [2, 3]],
      ['/completed', [1]],
    ])('§4.17 GET states%s selects by status, ordered by state_id', async (variant, expected) => {
      expect(stateIds(await read<Json[]>(`/services/${sid}/states${variant}`))).toEqual(expected);
    });

    it('§4.17 returns states in top-level form with service_id and customer_id', async () => {
      expect(await read(`/services/${sid}/states/completed`)).toEqual([
        { service_id: sid, customer_id: customer, ...state1() },
      ]);
    });

    it('§4.17 omits customer_id on the states of an anonymous service', async () => {
      expect(await read(`/services/${anonymous}/states`)).toEqual([
        { service_id: anonymous, state_id: 1, started: { timestamp: at(1) } },
      ]);
    });

    it.each([
      ['1', [1, 3]],
      ['Waiting', [2]],
      ['Waiting,1', [1, 2, 3]],
      ['Nope', []],
    ])('§4.17 state_types=%s keeps states of those types (string comparison)', async (types, expected) => {
      expect(stateIds(await read<Json[]>(`/services/${sid}/states?state_types=${types}`))).toEqual(expected);
    });

    it('§4.17 state_types also applies on the active variant', async () => {
      expect(stateIds(await read<Json[]>(`/services/${sid}/states/active?state_types=1`))).toEqual([3]);
    });

    it('§2.8 nests on each state only the tasks with its state_id, in nested form', async () => {
      const states = await read<Json[]>(`/services/${sid}/states?active_tasks=true&completed_tasks=true`);
      expect(states).toEqual([
        { service_id: sid, customer_id: customer, ...state1(), active_tasks: [], completed_tasks: [task1()] },
        {
          service_id: sid,
          customer_id: customer,
          state_id: 2,
          state_type: 'Waiting',
          started: { timestamp: at(2) },
          active_tasks: [{ task_id: 2, state_id: 2, task_type: 'Search', started: { timestamp: at(2, 10) } }],
          completed_tasks: [
            {
              task_id: 3,
              state_id: 2,
              task_type: 'CollectPin',
              started: { timestamp: at(2, 20) },
              completed: { timestamp: at(2, 50) },
              duration: 30000,
            },
          ],
        },
        {
          service_id: sid,
          customer_id: customer,
          state_id: 3,
          state_type: '1',
          started: { timestamp: at(3) },
          active_tasks: [{ task_id: 5, state_id: 3, task_type: 12, started: { timestamp: at(3, 10) } }],
          completed_tasks: [],
        },
      ]);
    });

    it('§2.8 leaves the task members out when their flag is false', async () => {
      const states = await read<Json[]>(
        `/services/${sid}/states/active?active_tasks=false&completed_tasks=true`,
      );
      for (const state of states) {
        expect(state).not.toHaveProperty('active_tasks');
        expect(state).toHaveProperty('completed_tasks');
      }
    });

    it('§4.17/§2.7 extensions: unprefixed names apply to states, Task.Name to nested tasks', async () => {
      const [first] = await read<Json[]>(`/services/${sid}/states/completed?extensions=Mood,Note`);
      expect(first).toEqual({ service_id: sid, customer_id: customer, ...state1(), Mood: 'calm' });
      const [withTasks] = await read<Json[]>(
        `/services/${sid}/states/completed?completed_tasks=true&extensions=Task.Note`,
      );
      expect(withTasks).toEqual({
        service_id: sid,
        customer_id: customer,
        ...state1(),
        completed_tasks: [{ ...task1(), Note: 'pin' }],
      });
      const [all] = await read<Json[]>(`/services/${sid}/states/completed?completed_tasks=true&extensions=*`);
      expect(all).toEqual({
        service_id: sid,
        customer_id: customer,
        ...state1(),
        Mood: 'calm',
        completed_tasks: [{ ...task1(), Note: 'pin' }],
      });
      expect(await read<Json[]>(`/services/${sid}/states/completed`)).toEqual([
        { service_id: sid, customer_id: customer, ...state1() },
      ]);
    });

    it('§4.18 returns one state in top-level form, with its own tasks when asked', async () => {
      expect(await read(`/services/${sid}/states/1`)).toEqual({
        service_id: sid,
        customer_id: customer,
        ...state1(),
      });
      expect(
        await read(`/services/${sid}/states/1?completed_tasks=true&active_tasks=true&extensions=State`),
      ).toEqual({
        service_id: sid,
        customer_id: customer,
        ...state1(),
        Mood: 'calm',
        active_tasks: [],
        completed_tasks: [task1()],
      });
    });

    it.each([
      ['', [1, 2, 3, 4, 5]],
      ['/active', [2, 4, 5]],
      ['/completed', [1, 3]],
    ])('§4.22 GET tasks%s selects by status, ordered by task_id', async (variant, expected) => {
      expect(taskIds(await read<Json[]>(`/services/${sid}/tasks${variant}`))).toEqual(expected);
    });

    it.each([
      ['task_types=CollectPin', '', [1, 3]],
      ['task_types=12,Survey', '', [4, 5]],
      ['state_id=2', '', [2, 3]],
      ['state_id=1,3', '', [1, 5]],
      ['state_id=2&task_types=CollectPin', '', [3]],
      ['state_id=2', '/active', [2]],
      ['task_types=CollectPin', '/completed', [1, 3]],
      ['state_id=9', '', []],
    ])('§4.22 filters tasks with %s (variant "%s")', async (query, variant, expected) => {
      expect(taskIds(await read<Json[]>(`/services/${sid}/tasks${variant}?${query}`))).toEqual(expected);
    });

    it('§4.22 returns tasks in top-level form; extensions only when selected', async () => {
      expect(await read(`/services/${sid}/tasks/completed?state_id=1`)).toEqual([
        { service_id: sid, customer_id: customer, ...task1() },
      ]);
      expect(await read(`/services/${sid}/tasks/completed?state_id=1&extensions=Note`)).toEqual([
        { service_id: sid, customer_id: customer, ...task1(), Note: 'pin' },
      ]);
      expect(await read(`/services/${sid}/tasks/completed?state_id=1&extensions=State.Note`)).toEqual([
        { service_id: sid, customer_id: customer, ...task1() },
      ]);
      expect(await read(`/services/${anonymous}/tasks`)).toEqual([
        { service_id: anonymous, task_id: 1, state_id: 1, started: { timestamp: at(2) } },
      ]);
    });

    it('§4.22 answers a non-integer state_id filter with 400', async () => {
      const uri = `${BASE}/services/${sid}/tasks`;
      for (const bad of ['abc', '1,x']) {
        expectError(await get(`${uri}?state_id=${bad}`), {
          status: 400,
          method: 'GET',
          uri,
          message: contains('state_id'),
        });
      }
    });

    it('§4.23 returns one task in top-level form', async () => {
      expect(await read(`/services/${sid}/tasks/4?extensions=*`)).toEqual({
        service_id: sid,
        customer_id: customer,
        task_id: 4,
        task_type: 'Survey',
        started: { timestamp: at(2, 30) },
      });
      expect(await read(`/services/${sid}/tasks/1?extensions=Task.Note`)).toEqual({
        service_id: sid,
        customer_id: customer,
        ...task1(),
        Note: 'pin',
      });
    });

    it('§2.12 answers [] for a service without states or tasks', async () => {
      const empty = await startService();
      for (const path of [
        'states',
        'states/active',
        'states/completed',
        'tasks',
        'tasks/active',
        'tasks/completed',
      ]) {
        expect(await read(`/services/${empty}/${path}`)).toEqual([]);
      }
    });

    it('§2.8 answers an invalid nesting flag on state queries with 400 INVALID_PARAMETER', async () => {
      for (const uri of [`${BASE}/services/${sid}/states`, `${BASE}/services/${sid}/states/1`]) {
        expectError(await get(`${uri}?completed_tasks=maybe`), {
          status: 400,
          code: 'INVALID_PARAMETER',
          method: 'GET',
          uri,
          message: contains("'completed_tasks'"),
        });
      }
    });

    it('§4.17/§4.22 answer an unknown service with 400 NotFoundException', async () => {
      for (const path of ['states', 'states/active', 'tasks/completed', 'states/1', 'tasks/1']) {
        const uri = `${BASE}/services/${UNKNOWN_SERVICE}/${path}`;
        expectError(await get(uri), serviceNotFound('GET', uri, UNKNOWN_SERVICE));
      }
    });

    it('§4.18/§4.23 answer unknown ids with 400 NotFoundException and the recommended messages', async () => {
      const stateUri = `${BASE}/services/${sid}/states/42`;
      expectError(await get(stateUri), stateNotFound('GET', stateUri, sid, 42));
      const taskUri = `${BASE}/services/${sid}/tasks/42`;
      expectError(await get(taskUri), taskNotFound('GET', taskUri, sid, 42));
      // Ids are per service: state 2 of this service is not a state of the anonymous one.
      const otherUri = `${BASE}/services/${anonymous}/states/2`;
      expectError(await get(otherUri), stateNotFound('GET', otherUri, anonymous, 2));
      // 0 is a decimal integer (so not an invalid parameter) that names no state or task.
      const zeroState = `${BASE}/services/${sid}/states/0`;
      expectError(await get(zeroState), stateNotFound('GET', zeroState, sid, 0));
      const zeroTask = `${BASE}/services/${sid}/tasks/0/end`;
      expectError(await post(zeroTask, {}), taskNotFound('POST', zeroTask, sid, 0));
    });

    it.each([
      ['states', 'abc'],
      ['states', '1.0'],
      ['states', '1e2'],
      ['tasks', 'first'],
      ['tasks', '0x1'],
    ])('§2.5 answers GET %s/%s (non-integer id) with 400', async (what, bad) => {
      const uri = `${BASE}/services/${sid}/${what}/${bad}`;
      const res = await get(uri);
      expectError(res, {
        status: 400,
        method: 'GET',
        uri,
        message: expect.stringMatching(new RegExp(`${what === 'states' ? 'state_id' : 'task_id'}|${bad}`)),
      });
    });

    it('§2.1 routes states/active, states/completed, tasks/active and tasks/completed as lists, not ids', async () => {
      for (const path of ['states/active', 'states/completed', 'tasks/active', 'tasks/completed']) {
        expect(Array.isArray(await read(`/services/${sid}/${path}`))).toBe(true);
      }
    });

    it('§2.1 does not take states/start, states/transition or tasks/start for ids on GET', async () => {
      for (const path of ['states/start', 'states/transition', 'tasks/start']) {
        const res = await get(`${BASE}/services/${sid}/${path}`);
        // 405 (a POST-only route) or 400 (a non-integer id): never a state or task body.
        expect([400, 405]).toContain(res.status);
      }
    });
  });

  describe('§4.19 Update State Extension and §4.24 Update Task Extension', () => {
    it('§4.19 answers 200 with an empty body, replaces the value and creates it when absent', async () => {
      const sid = await startService();
      const id = await startState(sid, { Feedback: { rating: 1, channel: 'ivr' }, Other: 1 });
      const uri = `${BASE}/services/${sid}/states/${id}/extensions/Feedback`;
      await expectEmpty(put(uri, '{"rating":5,"comment":"quick"}'), 200);
      await expectEmpty(put(`${BASE}/services/${sid}/states/${id}/extensions/New`, '[{"a":1}]'), 200);
      const view = await read(`/services/${sid}/states/${id}?extensions=*`);
      expect(view).toMatchObject({ Feedback: { rating: 5, comment: 'quick' }, Other: 1, New: [{ a: 1 }] });
    });

    it('§4.24 answers 200 with an empty body and replaces the value, also on a completed task', async () => {
      const sid = await startService();
      const id = await startTask(sid, { Target: { msisdn: '+1', retries: 0 } });
      await endTask(sid, id);
      await expectEmpty(
        put(`${BASE}/services/${sid}/tasks/${id}/extensions/Target`, '{"msisdn":"+33655550100","retries":1}'),
        200,
      );
      await expectEmpty(put(`${BASE}/services/${sid}/tasks/${id}/extensions/Count`, '3'), 200);
      expect(await read(`/services/${sid}/tasks/${id}?extensions=*`)).toMatchObject({
        Target: { msisdn: '+33655550100', retries: 1 },
        Count: 3,
      });
    });

    it('§4.19 extension writes on a state touch neither the service nor other states', async () => {
      const sid = await startService({ Shared: 'service' });
      await startState(sid, { Shared: 'one' });
      await startState(sid, { Shared: 'two' });
      await expectEmpty(put(`${BASE}/services/${sid}/states/1/extensions/Shared`, '"changed"'), 200);
      expect((await read(`/services/${sid}/states/1?extensions=Shared`)).Shared).toBe('changed');
      expect((await read(`/services/${sid}/states/2?extensions=Shared`)).Shared).toBe('two');
      expect((await read(`/services/${sid}?extensions=Shared`)).Shared).toBe('service');
    });

    it.each([
      ['states', 'state_id'],
      ['states', 'disposition'],
      ['states', 'started'],
      ['tasks', 'task_type'],
      ['tasks', 'state_id'],
      ['tasks', 'customer_id'],
    ])('§4.19/§4.24 reject the reserved name %s/%s with 400', async (what, name) => {
      const sid = await startService();
      await startState(sid);
      await startTask(sid);
      const uri = `${BASE}/services/${sid}/${what}/1/extensions/${name}`;
      expectError(await put(uri, '{"v":1}'), { status: 400, method: 'PUT', uri, message: contains(name) });
    });

    it.each(['states', 'tasks'])('§4.19/§4.24 reject a null value on %s with 400', async (what) => {
      const sid = await startService();
      await startState(sid, { Keep: 'me' });
      await startTask(sid, { Keep: 'me' });
      const uri = `${BASE}/services/${sid}/${what}/1/extensions/Keep`;
      expectError(await put(uri, 'null'), { status: 400, method: 'PUT', uri, message: contains('Keep') });
      expect((await read(`/services/${sid}/${what}/1?extensions=Keep`)).Keep).toBe('me');
    });

    it('§4.19/§4.24 answer unknown states, tasks and services with 400 NotFoundException', async () => {
      const sid = await startService();
      const stateUri = `${BASE}/services/${sid}/states/3/extensions/X`;
      expectError(await put(stateUri, '1'), stateNotFound('PUT', stateUri, sid, 3));
      const taskUri = `${BASE}/services/${sid}/tasks/4/extensions/X`;
      expectError(await put(taskUri, '1'), taskNotFound('PUT', taskUri, sid, 4));
      const serviceUri = `${BASE}/services/${UNKNOWN_SERVICE}/tasks/1/extensions/X`;
      expectError(await put(serviceUri, '1'), serviceNotFound('PUT', serviceUri, UNKNOWN_SERVICE));
    });

    it('§4.19 answers a non-integer state id with 400', async () => {
      const sid = await startService();
      const uri = `${BASE}/services/${sid}/states/one/extensions/X`;
      expectError(await put(uri, '1'), {
        status: 400,
        method: 'PUT',
        uri,
        message: expect.stringMatching(/state_id|one/),
      });
    });

    it('§4.24 answers POST on a task extension with 405 (PUT only, spec §5 item 4)', async () => {
      const sid = await startService();
      await startTask(sid);
      const uri = `${BASE}/services/${sid}/tasks/1/extensions/Target`;
      const res = await post(uri, { msisdn: '+1' });
      expectError(res, {
        status: 405,
        code: 'METHOD_NOT_ALLOWED',
        method: 'POST',
        uri,
        message: contains('POST'),
      });
      expect(res.headers.allow).toMatch(/\bPUT\b/);
      expect(await read(`/services/${sid}/tasks/1?extensions=*`)).not.toHaveProperty('Target');
    });
  });

  describe('bodies, reserved names, numeric strings, ordering, tenancy and routing', () => {
    it.each([
      ['states', 'a state_type that is an object', { state_type: { a: 1 } }, 'state_type'],
      ['states', 'a negative est_duration', { est_duration: -1 }, 'est_duration'],
      ['states', 'a malformed timestamp', { timestamp: '2024-Mar-04T09:00:00.000Z' }, 'timestamp'],
      ['states', 'an application_id that is not an integer', { application_id: 'abc' }, 'application_id'],
      ['states', 'an extension value null', { Foo: null }, 'Foo'],
      ['tasks', 'a task_type that is an array', { task_type: [1] }, 'task_type'],
      ['tasks', 'an interaction_id over 50 characters', { interaction_id: 'i'.repeat(51) }, 'interaction_id'],
      ['tasks', 'a resource_id over 2^31-1', { resource_id: 2 ** 31 }, 'resource_id'],
    ])('§4.14/§4.20 reject a %s start with %s (400) and allocate no id', async (what, _name, body, field) => {
      const sid = await startService();
      const uri = `${BASE}/services/${sid}/${what}/start`;
      expectError(await post(uri, body), { status: 400, method: 'POST', uri, message: contains(field) });
      expect(await read(`/services/${sid}/${what}`)).toEqual([]);
      const key = what === 'states' ? 'state_id' : 'task_id';
      expect(await created(post(uri, {}), key)).toBe(1);
    });

    it.each(['states/start', 'tasks/start', 'states/transition'])(
      '§2.3 POST %s answers a body that is not a JSON object or not JSON with 400',
      async (path) => {
        const sid = await startService();
        const uri = `${BASE}/services/${sid}/${path}`;
        expectError(await post(uri, [{}]), { status: 400, method: 'POST', uri, message: expect.any(String) });
        const res = await request(gms.url).post(uri).set('Content-Type', 'application/json').send('{"x":');
        expectError(res, {
          status: 400,
          code: 'MALFORMED_JSON',
          method: 'POST',
          uri,
          message: contains('Invalid JSON body'),
        });
      },
    );

    it('§2.7 never stores reserved names from start bodies as extensions of states and tasks', async () => {
      const sid = await startService();
      const reserved = {
        service_id: 'x',
        customer_id: 'c',
        contact_key: 'k',
        task_id: 7,
        completed: { timestamp: at(9) },
        duration: 5,
        disposition: 'early',
        disposition_desc: 'early',
        active_tasks: [],
        ttl: 60,
        expiration_time: '2099-01-01T00:00:00.000Z',
        auto_complete_after: 10,
      };
      await startState(sid, { ...reserved, timestamp: at(1) });
      await startTask(sid, { ...reserved, timestamp: at(2) });
      expect(await read(`/services/${sid}/states/1?extensions=*`)).toEqual({
        service_id: sid,
        state_id: 1,
        started: { timestamp: at(1) },
      });
      expect(await read(`/services/${sid}/tasks/1?extensions=*`)).toEqual({
        service_id: sid,
        task_id: 1,
        started: { timestamp: at(2) },
      });
    });

    it('§3.5 ignores ttl and expiration_time in a state end body (reserved, not extensions)', async () => {
      const sid = await startService();
      await startState(sid, { timestamp: at(1) });
      await endState(sid, 1, { ttl: 60, expiration_time: '2099-01-01T00:00:00.000Z', timestamp: at(2) });
      expect(await read(`/services/${sid}/states/1?extensions=*`)).toEqual({
        service_id: sid,
        state_id: 1,
        started: { timestamp: at(1) },
        completed: { timestamp: at(2) },
        duration: ms(at(1), at(2)),
      });
    });

    it('§2.11 accepts ids sent as numeric strings in bodies: previous_state_id, task state_id, from.state_id', async () => {
      const sid = await startService();
      await startState(sid);
      expect(await startState(sid, { previous_state_id: '1' })).toBe(2);
      expect((await read(`/services/${sid}/states/2`)).started).toMatchObject({ previous_state_id: 1 });
      expect(await startTask(sid, { state_id: '2' })).toBe(1);
      expect((await read(`/services/${sid}/tasks/1`)).state_id).toBe(2);
      expect(await transition(sid, { from: { state_id: '2' }, to: { est_duration: '30' } })).toBe(3);
      const next = await read(`/services/${sid}/states/3`);
      expect(next).toMatchObject({ est_duration: 30, started: { previous_state_id: 2 } });
    });

    it('§2.12 orders states and tasks by id whatever timestamps the client sent', async () => {
      const sid = await startService();
      await startState(sid, { timestamp: at(9) });
      await startState(sid, { timestamp: at(1) });
      await startState(sid, { timestamp: at(5) });
      await startTask(sid, { timestamp: at(8) });
      await startTask(sid, { timestamp: at(2) });
      expect(stateIds(await read<Json[]>(`/services/${sid}/states`))).toEqual([1, 2, 3]);
      expect(taskIds(await read<Json[]>(`/services/${sid}/tasks`))).toEqual([1, 2]);
      const service = await read(`/services/${sid}?active_states=true&active_tasks=true`);
      expect(stateIds(service.active_states as Json[])).toEqual([1, 2, 3]);
      expect(taskIds(service.active_tasks as Json[])).toEqual([1, 2]);
    });

    it('§2.7 prefixed and entity-wide selectors on state and task queries', async () => {
      const sid = await startService({ Mood: 'service' });
      await startState(sid, { Mood: 'state', Other: 1 });
      await startTask(sid, { state_id: 1, Mood: 'task' });
      const stateExt = async (query: string) => {
        const [state] = await read<Json[]>(`/services/${sid}/states?${query}`);
        return { Mood: state.Mood, Other: state.Other };
      };
      expect(await stateExt('extensions=State.Mood')).toEqual({ Mood: 'state', Other: undefined });
      expect(await stateExt('extensions=State')).toEqual({ Mood: 'state', Other: 1 });
      expect(await stateExt('extensions=State.*')).toEqual({ Mood: 'state', Other: 1 });
      expect(await stateExt('extensions=Service.Mood,Task.Mood')).toEqual({
        Mood: undefined,
        Other: undefined,
      });
      const [task] = await read<Json[]>(`/services/${sid}/tasks?extensions=Task`);
      expect(task.Mood).toBe('task');
      const [plain] = await read<Json[]>(`/services/${sid}/tasks?extensions=State.Mood`);
      expect(plain).not.toHaveProperty('Mood');
    });

    it('§4.21 ignores a state_id query parameter on Complete Task (spec §5 item 49)', async () => {
      const sid = await startService();
      await startTask(sid);
      await expectEmpty(post(`${BASE}/services/${sid}/tasks/1/end?state_id=99`, {}), 204);
    });

    it('§1.6 another tenant can neither read nor change the states and tasks of a service', async () => {
      const owner = { ContactCenterId: '5101' };
      const stranger = { ContactCenterId: '5102' };
      const res = await request(gms.url)
        .post(`${BASE}/services/start`)
        .set(owner)
        .send({ contact_key: 'K-T' });
      const sid = (res.body as { service_id: string }).service_id;
      expect(
        (
          await request(gms.url)
            .post(`${BASE}/services/${sid}/states/start`)
            .set(owner)
            .send({ timestamp: at(1) })
        ).status,
      ).toBe(201);
      const attempts: [string, string, Json | undefined][] = [
        ['POST', `states/1/end`, {}],
        ['POST', `states/transition`, { from: { state_id: 1 }, to: {} }],
        ['GET', `states/1`, undefined],
        ['GET', `tasks`, undefined],
        ['PUT', `states/1/extensions/X`, { a: 1 }],
      ];
      for (const [method, path, body] of attempts) {
        const uri = `${BASE}/services/${sid}/${path}`;
        const req =
          method === 'GET'
            ? request(gms.url).get(uri)
            : method === 'PUT'
              ? request(gms.url)
                  .put(uri)
                  .send(body as object)
              : request(gms.url)
                  .post(uri)
                  .send(body as object);
        expectError(await req.set(stranger), serviceNotFound(method, uri, sid));
      }
      const state = await request(gms.url).get(`${BASE}/services/${sid}/states/1?extensions=*`).set(owner);
      expect(state.body).toEqual({ service_id: sid, state_id: 1, started: { timestamp: at(1) } });
    });

    it.each([
      ['DELETE', 'states/1'],
      ['PUT', 'tasks/1'],
      ['DELETE', 'tasks/1/extensions/X'],
      ['PUT', 'states/1/end'],
    ])('§2.1 answers %s %s with 405 METHOD_NOT_ALLOWED', async (method, path) => {
      const sid = await startService();
      await startState(sid);
      await startTask(sid);
      const uri = `${BASE}/services/${sid}/${path}`;
      const req = method === 'DELETE' ? request(gms.url).delete(uri) : request(gms.url).put(uri).send({});
      const res = await req;
      expectError(res, { status: 405, code: 'METHOD_NOT_ALLOWED', method, uri, message: contains(method) });
      expect(res.headers.allow).toEqual(expect.any(String));
    });
  });
});
