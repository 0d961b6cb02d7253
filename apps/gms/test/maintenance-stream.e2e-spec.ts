/** Export Services to JSON Stream by Date, spec §4.26 (and §3.9, §2.8, §5 items 22, 39, 40). */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { DataSource } from 'typeorm';
import { testBackends } from '@cs/testing';
import { startGms, type StartedGms } from './start-gms';
import {
  BASE,
  at,
  client,
  expectError,
  freshTenant,
  insertServices,
  type Headers,
  type Json,
} from './maintenance-support';

const STREAM = '/maintenance/services/stream';

describe.each(testBackends().map((b) => [b.name, b] as const))('gms export stream (%s)', (_, backend) => {
  let gms: StartedGms;
  const api = client(() => gms.url);

  beforeAll(async () => {
    gms = await startGms(backend);
  });

  afterAll(async () => {
    await gms?.close();
  });

  const stream = (query: Record<string, string>, headers: Headers) =>
    api.get(`${STREAM}?${new URLSearchParams(query).toString()}`, headers);

  /**
   * Services around the range [09:10, 09:20):
   * before        started 09:00, completed 09:05 (no event in range)
   * startedIn     started 09:12, active
   * completedIn   started 09:01, completed 09:15
   * bothIn        started 09:11, completed 09:19:59.999
   * startedAtTo   started 09:20 exactly, active (end bound excluded)
   * startedAtFrom started 09:10 exactly, completed 09:30 (start bound included)
   * completedAtTo started 09:02, completed 09:20 exactly (excluded)
   */
  async function fixture(headers: Headers): Promise<Record<string, string>> {
    const ids: Record<string, string> = {};
    const make = async (name: string, started: string, completed?: string) => {
      ids[name] = await api.start({ contact_key: 'K', timestamp: started }, headers);
      if (completed) await api.end(ids[name], { timestamp: completed }, headers);
    };
    await make('before', at(0), at(5));
    await make('startedIn', at(12));
    await make('completedIn', at(1), at(15));
    await make('bothIn', at(11), at(19, 59, 999));
    await make('startedAtTo', at(20));
    await make('startedAtFrom', at(10), at(30));
    await make('completedAtTo', at(2), at(20));
    return ids;
  }

  const names = (ids: Record<string, string>, body: unknown) => {
    const byId = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
    return (body as (string | Json)[]).map((item) =>
      byId.get(typeof item === 'string' ? item : (item.service_id as string)),
    );
  };

  describe('§4.26 selection by filter_events and filter_state', () => {
    let headers: Headers;
    let ids: Record<string, string>;
    beforeAll(async () => {
      headers = freshTenant();
      ids = await fixture(headers);
    });

    const range = { time_from: at(10), time_to: at(20) };

    // Expected names in started.timestamp order (spec §4.26 table; [from, to) bounds, §5 item 39).
    it.each([
      ['any', 'any', ['completedIn', 'startedAtFrom', 'bothIn', 'startedIn']],
      ['any', 'active', ['startedIn']],
      ['any', 'inactive', ['completedIn', 'startedAtFrom', 'bothIn']],
      ['started', 'any', ['startedAtFrom', 'bothIn', 'startedIn']],
      ['started', 'active', ['startedIn']],
      ['started', 'inactive', ['startedAtFrom', 'bothIn']],
      ['completed', 'any', ['completedIn', 'bothIn']],
      ['completed', 'active', []],
      ['completed', 'inactive', ['completedIn', 'bothIn']],
    ])('filter_events=%s filter_state=%s with export_content=true', async (events, state, expected) => {
      const res = await stream(
        { ...range, filter_events: events, filter_state: state, export_content: 'true' },
        headers,
      );
      expect(res.status).toBe(200);
      expect(names(ids, res.body)).toEqual(expected);
    });

    it.each([
      ['any', ['completedIn', 'startedAtFrom', 'bothIn', 'startedIn']],
      ['started', ['startedAtFrom', 'bothIn', 'startedIn']],
      ['completed', ['completedIn', 'bothIn']],
    ])('filter_events=%s returns service ids (strings) by default', async (events, expected) => {
      const res = await stream({ ...range, filter_events: events }, headers);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/i);
      expect((res.body as unknown[]).every((item) => typeof item === 'string')).toBe(true);
      expect(names(ids, res.body)).toEqual(expected);
    });

    it('§5 item 40: filter_state is ignored without export_content=true', async () => {
      const res = await stream({ ...range, filter_state: 'active' }, headers);
      expect(names(ids, res.body)).toEqual(['completedIn', 'startedAtFrom', 'bothIn', 'startedIn']);
    });

    it('time_to defaults to now', async () => {
      const res = await stream({ time_from: at(10), filter_events: 'started' }, headers);
      expect(names(ids, res.body)).toEqual(['startedAtFrom', 'bothIn', 'startedIn', 'startedAtTo']);
    });

    it('an empty range (time_from = time_to) gives []', async () => {
      const res = await stream({ time_from: at(12), time_to: at(12) }, headers);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
    });
  });

  it('§4.26 §3.9 export_content=true returns each service with every extension and all four nesting arrays', async () => {
    const headers = freshTenant();
    const id = await api.start(
      {
        customer_id: 'CUST-1',
        contact_key: '+33100',
        service_type: 'PasswordReset',
        est_duration: 300,
        media_type: 'voice',
        timestamp: at(11),
        CallerChoices: { menu: 'account' },
        Score: 7,
      },
      headers,
    );
    const s1 = await api.startState(
      id,
      { state_type: 'Identify', timestamp: at(12), Feedback: { rating: 4 } },
      headers,
    );
    const endState = await api.post(
      `/services/${id}/states/${s1}/end`,
      { timestamp: at(13), disposition: 'Ok' },
      headers,
    );
    expect(endState.status).toBe(204);
    const s2 = await api.startState(
      id,
      { state_type: 'Deliver', timestamp: at(14), previous_state_id: s1 },
      headers,
    );
    const t1 = await api.startTask(
      id,
      { state_id: s1, task_type: 'CollectPin', timestamp: at(12, 30), Pin: 'ok' },
      headers,
    );
    const endTask = await api.post(`/services/${id}/tasks/${t1}/end`, { timestamp: at(12, 45) }, headers);
    expect(endTask.status).toBe(204);
    const t2 = await api.startTask(id, { task_type: 'Survey', timestamp: at(15) }, headers);
    const empty = await api.start({ contact_key: 'K2', timestamp: at(16) }, headers);

    const res = await stream({ time_from: at(10), time_to: at(20), export_content: 'TRUE' }, headers);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        service_id: id,
        service_type: 'PasswordReset',
        customer_id: 'CUST-1',
        contact_key: '+33100',
        est_duration: 300,
        started: { media_type: 'voice', timestamp: at(11) },
        active_states: [
          { state_id: s2, state_type: 'Deliver', started: { timestamp: at(14), previous_state_id: s1 } },
        ],
        completed_states: [
          {
            state_id: s1,
            state_type: 'Identify',
            started: { timestamp: at(12) },
            completed: { timestamp: at(13) },
            duration: 60000,
            disposition: 'Ok',
            Feedback: { rating: 4 },
          },
        ],
        active_tasks: [{ task_id: t2, task_type: 'Survey', started: { timestamp: at(15) } }],
        completed_tasks: [
          {
            task_id: t1,
            state_id: s1,
            task_type: 'CollectPin',
            started: { timestamp: at(12, 30) },
            completed: { timestamp: at(12, 45) },
            duration: 15000,
            Pin: 'ok',
          },
        ],
        CallerChoices: { menu: 'account' },
        Score: 7,
      },
      {
        service_id: empty,
        contact_key: 'K2',
        started: { timestamp: at(16) },
        active_states: [],
        completed_states: [],
        active_tasks: [],
        completed_tasks: [],
      },
    ]);
  });

  it('§4.26 §2.12 services started at the same instant come in creation order', async () => {
    const headers = freshTenant();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(await api.start({ contact_key: `K${i}`, timestamp: at(12) }, headers));
    const res = await stream({ time_from: at(10), time_to: at(20) }, headers);
    expect(res.body).toEqual(ids);
  });

  it('§4.26 §1.6 only the caller tenant and GroupId are exported; expired services are not', async () => {
    const tenant = freshTenant();
    const other = freshTenant();
    const mine = await api.start({ contact_key: 'K', timestamp: at(12) }, tenant);
    const inGroup = await api.start({ contact_key: 'K', timestamp: at(13) }, { ...tenant, GroupId: 'g1' });
    await api.start({ contact_key: 'K', timestamp: at(12) }, other);
    const expiring = await api.start({ contact_key: 'K', timestamp: at(14), ttl: 1 }, tenant);
    const range = { time_from: at(10), time_to: at(20) };
    expect((await stream(range, tenant)).body).toEqual([mine, inGroup, expiring]);
    expect((await stream(range, { ...tenant, GroupId: 'g1' })).body).toEqual([inGroup]);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await stream(range, tenant)).body).toEqual([mine, inGroup]);
  });

  it('§4.26 streams a few thousand services in order, ids and content alike', async () => {
    const headers = freshTenant();
    const tenant = headers.ContactCenterId;
    const base = Date.parse(at(10));
    // Pairs share a start instant so that the creation-order tie-break crosses page boundaries too.
    const services = Array.from({ length: 3001 }, (_, i) => ({
      serviceId: `7-${randomUUID()}`,
      tenant,
      startedAt: base + Math.floor(i / 2),
      extensions: { Index: { i } },
    }));
    await insertServices(gms.app.get(DataSource), services);
    const ids = await stream({ time_from: at(10), time_to: at(20) }, headers);
    expect(ids.status).toBe(200);
    expect(ids.body).toEqual(services.map((s) => s.serviceId));

    const full = await stream({ time_from: at(10), time_to: at(20), export_content: 'true' }, headers);
    expect(full.status).toBe(200);
    const body = full.body as Json[];
    expect(body).toHaveLength(services.length);
    body.forEach((service, i) => {
      expect(service).toEqual({
        service_id: services[i].serviceId,
        contact_key: 'bulk',
        started: { timestamp: new Date(services[i].startedAt).toISOString() },
        active_states: [],
        completed_states: [],
        active_tasks: [],
        completed_tasks: [],
        Index: { i },
      });
    });
  });

  it('§4.26 a client that disconnects mid-stream does not break the service', async () => {
    const headers = freshTenant();
    const tenant = headers.ContactCenterId;
    const base = Date.parse(at(10));
    await insertServices(
      gms.app.get(DataSource),
      Array.from({ length: 2000 }, (_, i) => ({
        serviceId: `7-${randomUUID()}`,
        tenant,
        startedAt: base + i,
        extensions: { Padding: 'x'.repeat(2000) },
      })),
    );
    const url = `${gms.directUrl}${BASE}${STREAM}?time_from=${encodeURIComponent(at(10))}&export_content=true`;
    const firstChunk = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(url, { headers }, (res) => {
        res.once('data', (chunk: Buffer) => {
          req.destroy();
          resolve(chunk.toString('utf8'));
        });
      });
      req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
      req.end();
    });
    expect(firstChunk.startsWith('[')).toBe(true);
    const after = await stream({ time_from: at(10), time_to: at(10, 0, 3) }, headers);
    expect(after.status).toBe(200);
    expect(after.body).toHaveLength(3);
  });

  it('§4.26 a slow reader gets the whole array (the stream waits for it instead of buffering)', async () => {
    const headers = freshTenant();
    const tenant = headers.ContactCenterId;
    const base = Date.parse(at(10));
    const services = Array.from({ length: 1500 }, (_, i) => ({
      serviceId: `7-${randomUUID()}`,
      tenant,
      startedAt: base + i,
      extensions: { Padding: 'y'.repeat(3000) },
    }));
    await insertServices(gms.app.get(DataSource), services);
    const url = `${gms.directUrl}${BASE}${STREAM}?time_from=${encodeURIComponent(at(10))}&export_content=true`;
    const { contentType, text } = await new Promise<{ contentType: string; text: string }>(
      (resolve, reject) => {
        const req = httpRequest(url, { headers }, (res) => {
          const chunks: Buffer[] = [];
          let pauses = 0;
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            // Stall now and then, long enough for the server's socket buffer to fill up.
            if (pauses < 5 && chunks.length % 20 === 1) {
              pauses++;
              res.pause();
              setTimeout(() => res.resume(), 200);
            }
          });
          res.on('end', () =>
            resolve({
              contentType: String(res.headers['content-type']),
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      },
    );
    expect(contentType).toBe('application/json;charset=UTF-8');
    const body = JSON.parse(text) as Json[];
    expect(body.map((s) => s.service_id)).toEqual(services.map((s) => s.serviceId));
  });

  describe('§4.26 invalid parameters answer 400', () => {
    const uri = `${BASE}${STREAM}`;
    it.each([
      ['time_from missing', {}, 'MISSING_PARAMETER', "Missing mandatory query parameter 'time_from'"],
      ['time_from malformed', { time_from: '2016-Dec-05T10:00:00.000Z' }, 'INVALID_PARAMETER', "'time_from'"],
      ['time_to malformed', { time_from: at(1), time_to: 'tomorrow' }, 'INVALID_PARAMETER', "'time_to'"],
      [
        'time_from later than time_to',
        { time_from: at(2), time_to: at(1) },
        'INVALID_PARAMETER',
        "'time_from'",
      ],
      [
        'filter_events unknown',
        { time_from: at(1), filter_events: 'ended' },
        'INVALID_PARAMETER',
        "'filter_events'",
      ],
      [
        'filter_state unknown',
        { time_from: at(1), filter_state: 'done', export_content: 'true' },
        'INVALID_PARAMETER',
        "'filter_state'",
      ],
      [
        'export_content not a boolean',
        { time_from: at(1), export_content: 'yes' },
        'INVALID_PARAMETER',
        "'export_content'",
      ],
    ])('%s', async (_name, query, code, message) => {
      const res = await stream(query as Record<string, string>, freshTenant());
      expectError(res, { status: 400, code, method: 'GET', uri, message: expect.stringContaining(message) });
    });
  });
});
