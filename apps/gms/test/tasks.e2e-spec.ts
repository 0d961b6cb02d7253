/**
 * Tasks (spec §4.20–§4.24) as implemented: the write transaction (ids, touch of the service), the
 * `state_id` link and filter, events, routing and the error codes of this implementation.
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
const T1 = '2024-03-04T09:00:04.250Z';

type Json = Record<string, unknown>;

describe.each(testBackends().map((b) => [b.name, b] as const))('gms tasks (%s)', (_, backend) => {
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
  const get = (path: string) => request(gms.url).get(`${BASE}${path}`);
  const put = (path: string, raw: string, headers: Record<string, string> = {}) =>
    request(gms.url).put(`${BASE}${path}`).set(headers).set('Content-Type', 'application/json').send(raw);

  async function startService(body: Json = {}, headers: Record<string, string> = {}): Promise<string> {
    const res = await post('/services/start', { customer_id: 'CUST-T', ...body }, headers);
    expect(res.status).toBe(201);
    return (res.body as { service_id: string }).service_id;
  }

  async function startTask(sid: string, body: Json = {}, headers: Record<string, string> = {}) {
    const res = await post(`/services/${sid}/tasks/start`, body, headers);
    expect(res.status).toBe(201);
    return (res.body as { task_id: number }).task_id;
  }

  async function startState(sid: string) {
    const res = await post(`/services/${sid}/states/start`, {});
    expect(res.status).toBe(201);
    return (res.body as { state_id: number }).state_id;
  }

  async function autoCompleteAt(sid: string): Promise<{ updatedAt: number; at: number | null }> {
    const rows = (await gms.app
      .get(DataSource)
      .query('SELECT updated_at, auto_complete_at FROM services WHERE service_id = ?', [sid])) as {
      updated_at: string | number;
      auto_complete_at: string | number | null;
    }[];
    const row = rows[0];
    return {
      updatedAt: Number(row.updated_at),
      at: row.auto_complete_at === null ? null : Number(row.auto_complete_at),
    };
  }

  const eventFor = (type: string, match: (data: Json) => boolean) =>
    listener.next((e: EventEnvelope) => e.type === type && match(e.data as Json));

  describe('§4.20 Start Task', () => {
    it('§2.5 gives unique ids to concurrent task and state starts, from separate counters', async () => {
      const sid = await startService();
      const [tasks, states] = await Promise.all([
        Promise.all(Array.from({ length: 8 }, () => startTask(sid))),
        Promise.all(Array.from({ length: 5 }, () => startState(sid))),
      ]);
      expect([...tasks].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect([...states].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    });

    it('§3.6 rejects a state_id of another service with 400 STATE_NOT_FOUND and allocates no id', async () => {
      const sid = await startService();
      const other = await startService();
      const stateOfOther = await startState(other);
      const res = await post(`/services/${sid}/tasks/start`, { state_id: stateOfOther });
      expectErrorResponse(res, {
        status: 400,
        code: 'STATE_NOT_FOUND',
        method: 'POST',
        uri: `${BASE}/services/${sid}/tasks/start`,
        message: `There are no state found for : ${sid}/${stateOfOther}`,
        exception: NOT_FOUND_EXCEPTION,
      });
      expect(await startTask(sid)).toBe(1);
    });

    it.each([
      ['state_id 0', { state_id: 0 }, 'INVALID_VALUE', "'state_id'"],
      ['state_id "abc"', { state_id: 'abc' }, 'INVALID_VALUE', "'state_id'"],
      ['task_type an array', { task_type: [1] }, 'INVALID_VALUE', "'task_type'"],
      ['est_duration -1', { est_duration: -1 }, 'INVALID_VALUE', "'est_duration'"],
      ['an extension null', { Target: null }, 'INVALID_VALUE', "'Target'"],
    ])('§3.6 rejects %s with 400 %s', async (_name, body, code, field) => {
      const sid = await startService();
      const res = await post(`/services/${sid}/tasks/start`, body);
      expectErrorResponse(res, {
        status: 400,
        code,
        method: 'POST',
        uri: `${BASE}/services/${sid}/tasks/start`,
        message: expect.stringContaining(field),
        exception: GMS_EXCEPTION,
      });
    });

    it('§4 conventions: a task write moves the auto-complete deadline while the service is active', async () => {
      const sid = await startService({ auto_complete_after: 120 });
      const before = await autoCompleteAt(sid);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const id = await startTask(sid);
      const after = await autoCompleteAt(sid);
      expect(after.updatedAt).toBeGreaterThan(before.updatedAt);
      expect(after.at).toBe(after.updatedAt + 120_000);
      expect((await post(`/services/${sid}/end`)).status).toBe(204);
      expect((await autoCompleteAt(sid)).at).toBeNull();
      expect((await put(`/services/${sid}/tasks/${id}/extensions/Late`, '1')).status).toBe(200);
      expect((await autoCompleteAt(sid)).at).toBeNull();
    });
  });

  describe('§4.21 Complete Task', () => {
    it('§4.21 answers a second end with 400 ALREADY_COMPLETED', async () => {
      const sid = await startService();
      const id = await startTask(sid);
      expect((await post(`/services/${sid}/tasks/${id}/end`)).status).toBe(204);
      const res = await post(`/services/${sid}/tasks/${id}/end`, { disposition: 'again' });
      expectErrorResponse(res, {
        status: 400,
        code: 'ALREADY_COMPLETED',
        method: 'POST',
        uri: `${BASE}/services/${sid}/tasks/${id}/end`,
        message: `Task ${id} is already completed`,
        exception: GMS_EXCEPTION,
      });
      expect(((await get(`/services/${sid}/tasks/${id}`)).body as Json).disposition).toBeUndefined();
    });

    it('§4.21 answers an unknown task with 400 TASK_NOT_FOUND', async () => {
      const sid = await startService();
      const res = await post(`/services/${sid}/tasks/4/end`);
      expectErrorResponse(res, {
        status: 400,
        code: 'TASK_NOT_FOUND',
        method: 'POST',
        uri: `${BASE}/services/${sid}/tasks/4/end`,
        message: `There are no task found for : ${sid}/4`,
        exception: NOT_FOUND_EXCEPTION,
      });
    });

    it('§2.10 checks the body before the ids: a bad body on an unknown task is a validation error', async () => {
      const sid = await startService();
      const res = await post(`/services/${sid}/tasks/4/end`, { disposition_desc: 'x'.repeat(65) });
      expect((res.body as Json).code).toBe('FIELD_TOO_LONG');
    });
  });

  describe('§4.22–§4.23 Query Tasks', () => {
    let sid: string;
    let s1: number;
    let s2: number;

    beforeAll(async () => {
      sid = await startService();
      s1 = await startState(sid);
      s2 = await startState(sid);
      await startTask(sid, { state_id: s1, task_type: 'A' });
      await startTask(sid, { state_id: s2, task_type: 5 });
      await startTask(sid, { task_type: 'B' });
      expect((await post(`/services/${sid}/tasks/1/end`)).status).toBe(204);
    });

    const ids = async (path: string) =>
      ((await get(`/services/${sid}${path}`)).body as Json[]).map((t) => t.task_id);

    it('§4.22 state_id accepts one integer or a comma list (§5 item 37)', async () => {
      expect(await ids(`/tasks?state_id=${s1}`)).toEqual([1]);
      expect(await ids(`/tasks?state_id=${s1},${s2}`)).toEqual([1, 2]);
      expect(await ids(`/tasks/active?state_id=${s1},${s2}`)).toEqual([2]);
      expect(await ids(`/tasks?state_id=${s1}&state_id=${s2}`)).toEqual([1, 2]);
    });

    it('§4.22 task_types compares as strings: 5 matches the id 5', async () => {
      expect(await ids('/tasks?task_types=5,B')).toEqual([2, 3]);
      expect(await ids('/tasks/completed?task_types=A')).toEqual([1]);
      expect(await ids('/tasks/completed?task_types=B')).toEqual([]);
    });

    it.each(['x', '1,x', '-1', '1.5'])(
      '§4.22 answers state_id=%s with 400 INVALID_PARAMETER',
      async (raw) => {
        const res = await get(`/services/${sid}/tasks?state_id=${raw}`);
        expectErrorResponse(res, {
          status: 400,
          code: 'INVALID_PARAMETER',
          method: 'GET',
          uri: `${BASE}/services/${sid}/tasks`,
          message: expect.stringContaining("'state_id'"),
          exception: GMS_EXCEPTION,
        });
      },
    );

    it('§2.5 answers a non-integer task id with 400 INVALID_PARAMETER', async () => {
      const res = await get(`/services/${sid}/tasks/one`);
      expect(res.status).toBe(400);
      expect((res.body as Json).code).toBe('INVALID_PARAMETER');
      expect((res.body as Json).message).toContain("'task_id'");
    });
  });

  describe('§2.1 routing', () => {
    it('§5 item 4: answers POST on a task extension with 405 and Allow: PUT', async () => {
      const sid = await startService();
      const id = await startTask(sid);
      const uri = `${BASE}/services/${sid}/tasks/${id}/extensions/x`;
      const res = await request(gms.url).post(uri).send({ a: 1 });
      expectErrorResponse(res, {
        status: 405,
        code: 'METHOD_NOT_ALLOWED',
        method: 'POST',
        uri,
        message: expect.stringContaining('POST'),
        exception: GMS_EXCEPTION,
      });
      expect(res.headers.allow).toBe('PUT');
    });

    it.each([
      ['DELETE', '/tasks/1'],
      ['PUT', '/tasks/start'],
      ['GET', '/tasks/1/end'],
      ['DELETE', '/tasks'],
    ])('answers %s %s with 405', async (method, path) => {
      const sid = await startService();
      const res = await request(gms.url)[method.toLowerCase() as 'get'](`${BASE}/services/${sid}${path}`);
      expect(res.status).toBe(405);
    });
  });

  describe('§4.24 Update Task Extension', () => {
    it.each(['task_type', 'state_id', 'completed', 'interaction_id', 'ttl'])(
      '§2.7 rejects the reserved name %s with 400 RESERVED_EXTENSION_NAME',
      async (name) => {
        const sid = await startService();
        const id = await startTask(sid);
        const res = await put(`/services/${sid}/tasks/${id}/extensions/${name}`, '{}');
        expect(res.status).toBe(400);
        expect((res.body as Json).code).toBe('RESERVED_EXTENSION_NAME');
        expect((res.body as Json).message).toContain(`'${name}'`);
      },
    );

    it('§4.24 rejects a missing body with 400 and an unknown task with 400 TASK_NOT_FOUND', async () => {
      const sid = await startService();
      const id = await startTask(sid);
      const empty = await request(gms.url).put(`${BASE}/services/${sid}/tasks/${id}/extensions/X`);
      expect(empty.status).toBe(400);
      expect((empty.body as Json).message).toContain("'X'");
      const unknown = await put(`/services/${sid}/tasks/${id + 1}/extensions/X`, '1');
      expect((unknown.body as Json).code).toBe('TASK_NOT_FOUND');
    });
  });

  describe('events (ARCHITECTURE §6)', () => {
    it(`${EventSubjects.gmsTaskStarted}, ${EventSubjects.gmsTaskExtensionUpdated}, ${EventSubjects.gmsTaskCompleted}`, async () => {
      const headers = { GroupId: 'ops' };
      const sid = await startService({}, headers);
      const stateId = (
        (await post(`/services/${sid}/states/start`, {}, headers)).body as { state_id: number }
      ).state_id;
      const id = await startTask(
        sid,
        { state_id: stateId, task_type: 'Send', timestamp: T0, Target: 1 },
        headers,
      );
      const started = await eventFor(EventSubjects.gmsTaskStarted, (d) => d.service_id === sid);
      expect(started.meta).toEqual({ group_id: 'ops' });
      expect(started.data).toEqual({
        service_id: sid,
        customer_id: 'CUST-T',
        task_id: id,
        state_id: stateId,
        task_type: 'Send',
        started: { timestamp: T0 },
        Target: 1,
      });

      expect((await put(`/services/${sid}/tasks/${id}/extensions/Target`, '2', headers)).status).toBe(200);
      const updated = await eventFor(EventSubjects.gmsTaskExtensionUpdated, (d) => d.service_id === sid);
      expect(updated.meta).toEqual({ extension: 'Target', group_id: 'ops' });
      expect(updated.data).toMatchObject({ task_id: id, Target: 2 });

      expect((await post(`/services/${sid}/tasks/${id}/end`, { timestamp: T1 }, headers)).status).toBe(204);
      const completed = await eventFor(EventSubjects.gmsTaskCompleted, (d) => d.service_id === sid);
      expect(completed.data).toMatchObject({ task_id: id, completed: { timestamp: T1 }, duration: 4250 });
    });
  });
});
