/** Purge Services, spec §4.25 (and §1.7, §5 items 21, 42–44), on every test backend. */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EventSubjects } from '@cs/contracts';
import { testBackends } from '@cs/testing';
import { startGms, type StartedGms } from './start-gms';
import { listenForEvents, type EventListener } from './support';
import {
  BASE,
  client,
  countChildren,
  expectError,
  freshTenant,
  insertServices,
  type Headers,
  type Json,
} from './maintenance-support';

const LIMIT = '2025-01-01T00:00:00.000Z';
const BEFORE = '2020-06-01T10:00:00.000Z';
const AFTER = '2026-06-01T10:00:00.000Z';

/** Which of the fixture services each operation removes (spec §4.25 table). */
const OPERATIONS: [string, string[]][] = [
  ['purge.service.all', ['identifiedActive', 'identifiedCompleted', 'anonymousActive', 'anonymousCompleted']],
  ['purge.service.started', ['identifiedActive', 'anonymousActive']],
  ['purge.service.started.anonymous', ['anonymousActive']],
  ['purge.service.completed', ['identifiedCompleted', 'anonymousCompleted']],
  ['purge.service.completed.anonymous', ['anonymousCompleted']],
];

describe.each(testBackends().map((b) => [b.name, b] as const))('gms purge (%s)', (_, backend) => {
  let gms: StartedGms;
  let listener: EventListener;
  const api = client(() => gms.url);

  beforeAll(async () => {
    gms = await startGms(backend);
    listener = await listenForEvents(gms.env);
  });

  afterAll(async () => {
    await listener?.close();
    await gms?.close();
  });

  const purge = (body: unknown, headers: Headers, query = '') =>
    api.post(`/maintenance/purge${query}`, body, headers);

  /**
   * Four services started before the limit (identified/anonymous × active/completed, each with a state
   * and a task), one started after it, and one started exactly at it (not strictly before).
   */
  async function fixture(headers: Headers): Promise<Record<string, string>> {
    const ids: Record<string, string> = {};
    const make = async (name: string, body: Json, complete: boolean) => {
      const id = await api.start({ ...body, Tag: { name } }, headers);
      const stateId = await api.startState(id, {}, headers);
      await api.startTask(id, { state_id: stateId }, headers);
      if (complete) await api.end(id, { timestamp: '2024-01-01T00:00:00.000Z' }, headers);
      ids[name] = id;
    };
    await make('identifiedActive', { customer_id: 'C-1', timestamp: BEFORE }, false);
    await make('identifiedCompleted', { customer_id: 'C-1', contact_key: 'K-1', timestamp: BEFORE }, true);
    await make('anonymousActive', { contact_key: 'K-1', timestamp: BEFORE }, false);
    await make('anonymousCompleted', { contact_key: 'K-1', timestamp: BEFORE }, true);
    await make('startedAfterLimit', { contact_key: 'K-1', timestamp: AFTER }, true);
    await make('startedAtLimit', { contact_key: 'K-1', timestamp: LIMIT }, true);
    return ids;
  }

  async function survivors(ids: Record<string, string>, headers: Headers): Promise<string[]> {
    const kept: string[] = [];
    for (const [name, id] of Object.entries(ids)) if (await api.exists(id, headers)) kept.push(name);
    return kept.sort();
  }

  describe.each(OPERATIONS)('§4.25 operation %s', (operation, removed) => {
    it('removes exactly the services it names, started strictly before the limit, with their states and tasks', async () => {
      const headers = freshTenant();
      const ids = await fixture(headers);
      const res = await purge({ limit: LIMIT, operation }, headers);
      expect(res.status).toBe(200);
      expect(res.text).toBe('');

      const expectedKept = Object.keys(ids)
        .filter((name) => !removed.includes(name))
        .sort();
      expect(await survivors(ids, headers)).toEqual(expectedKept);
      const ds = gms.app.get(DataSource);
      expect(
        await countChildren(
          ds,
          removed.map((name) => ids[name]),
        ),
      ).toEqual({ states: 0, tasks: 0 });
      expect(
        await countChildren(
          ds,
          expectedKept.map((name) => ids[name]),
        ),
      ).toEqual({
        states: expectedKept.length,
        tasks: expectedKept.length,
      });

      // One cs.gms.service.deleted per removed service, reason purge, data = the service with its extensions.
      for (const name of removed) {
        const event = await listener.next(
          (e) => e.type === EventSubjects.gmsServiceDeleted && (e.data as Json).service_id === ids[name],
        );
        expect(event.tenant).toBe(headers.ContactCenterId);
        expect(event.meta).toMatchObject({ reason: 'purge' });
        expect(event.data).toMatchObject({ service_id: ids[name], Tag: { name } });
      }
      for (const name of expectedKept) {
        expect(
          listener.events.some(
            (e) => e.type === EventSubjects.gmsServiceDeleted && (e.data as Json).service_id === ids[name],
          ),
        ).toBe(false);
      }
    });
  });

  it('§4.25 a completed service counts by its status at purge time, not at the limit', async () => {
    const headers = freshTenant();
    const id = await api.start({ contact_key: 'K', timestamp: BEFORE }, headers);
    await api.end(id, { timestamp: '2026-01-01T00:00:00.000Z' }, headers); // completed after the limit
    expect((await purge({ limit: LIMIT, operation: 'purge.service.started' }, headers)).status).toBe(200);
    expect(await api.exists(id, headers)).toBe(true);
    expect(
      (await purge({ limit: LIMIT, operation: 'purge.service.completed.anonymous' }, headers)).status,
    ).toBe(200);
    expect(await api.exists(id, headers)).toBe(false);
  });

  it('§4.25 accepts limit and operation as query parameters when there is no body', async () => {
    const headers = freshTenant();
    const ids = await fixture(headers);
    const res = await purge(
      undefined,
      headers,
      `?limit=${encodeURIComponent(LIMIT)}&operation=purge.service.completed`,
    );
    expect(res.status).toBe(200);
    expect(await survivors(ids, headers)).toEqual(
      ['anonymousActive', 'identifiedActive', 'startedAfterLimit', 'startedAtLimit'].sort(),
    );
  });

  it('§4.25 the body wins over query parameters', async () => {
    const headers = freshTenant();
    const ids = await fixture(headers);
    const res = await purge(
      { limit: LIMIT, operation: 'purge.service.started.anonymous' },
      headers,
      `?limit=${encodeURIComponent('2099-01-01T00:00:00.000Z')}&operation=purge.service.all`,
    );
    expect(res.status).toBe(200);
    expect(await survivors(ids, headers)).toEqual(
      [
        'anonymousCompleted',
        'identifiedActive',
        'identifiedCompleted',
        'startedAfterLimit',
        'startedAtLimit',
      ].sort(),
    );
  });

  it('§4.25 §1.6 only the caller tenant is purged', async () => {
    const mine = freshTenant();
    const other = freshTenant();
    const myIds = await fixture(mine);
    const otherIds = await fixture(other);
    expect(
      (await purge({ limit: '2099-01-01T00:00:00.000Z', operation: 'purge.service.all' }, mine)).status,
    ).toBe(200);
    expect(await survivors(myIds, mine)).toEqual([]);
    expect(await survivors(otherIds, other)).toEqual(Object.keys(otherIds).sort());
  });

  it('§4.25 §1.6 with GroupId only that business unit is purged; without it every group is', async () => {
    const tenant = freshTenant();
    const g1 = { ...tenant, GroupId: 'unit-1' };
    const g2 = { ...tenant, GroupId: 'unit-2' };
    const inG1 = await api.start({ contact_key: 'K', timestamp: BEFORE }, g1);
    const inG2 = await api.start({ contact_key: 'K', timestamp: BEFORE }, g2);
    const noGroup = await api.start({ contact_key: 'K', timestamp: BEFORE }, tenant);
    const all = { limit: LIMIT, operation: 'purge.service.all' };

    expect((await purge(all, g1)).status).toBe(200);
    expect(await api.exists(inG1, tenant)).toBe(false);
    expect(await api.exists(inG2, tenant)).toBe(true);
    expect(await api.exists(noGroup, tenant)).toBe(true);

    expect((await purge(all, tenant)).status).toBe(200);
    expect(await api.exists(inG2, tenant)).toBe(false);
    expect(await api.exists(noGroup, tenant)).toBe(false);
  });

  it('§4.25 purges more services than one batch holds, all of them and nothing else', async () => {
    const headers = freshTenant();
    const tenant = headers.ContactCenterId;
    const base = Date.parse(BEFORE);
    const old = Array.from({ length: 1234 }, (_, i) => ({
      serviceId: `9-${randomUUID()}`,
      tenant,
      startedAt: base + i,
      completedAt: base + i + 10,
    }));
    const recent = Array.from({ length: 5 }, (_, i) => ({
      serviceId: `9-${randomUUID()}`,
      tenant,
      startedAt: Date.parse(AFTER) + i,
      completedAt: Date.parse(AFTER) + i + 10,
    }));
    const ds = gms.app.get(DataSource);
    await insertServices(ds, [...old, ...recent]);
    const res = await purge({ limit: LIMIT, operation: 'purge.service.completed' }, headers);
    expect(res.status).toBe(200);
    const left = (await ds.query('SELECT service_id FROM services WHERE tenant = ? ORDER BY service_id', [
      tenant,
    ])) as { service_id: string }[];
    expect(left.map((r) => r.service_id)).toEqual(recent.map((s) => s.serviceId).sort());
    await listener.next(
      (e) =>
        e.type === EventSubjects.gmsServiceDeleted &&
        (e.data as Json).service_id === old[old.length - 1].serviceId,
    );
    const purgedIds = new Set(old.map((s) => s.serviceId));
    const deletedEvents = listener.events.filter(
      (e) =>
        e.type === EventSubjects.gmsServiceDeleted && purgedIds.has((e.data as Json).service_id as string),
    );
    expect(deletedEvents).toHaveLength(old.length);
  });

  describe('§4.25 invalid requests answer 400 and purge nothing', () => {
    const uri = `${BASE}/maintenance/purge`;
    it.each([
      [
        'limit missing',
        { operation: 'purge.service.all' },
        '',
        'MISSING_FIELD',
        "Missing mandatory field 'limit'",
      ],
      ['operation missing', { limit: LIMIT }, '', 'MISSING_FIELD', "Missing mandatory field 'operation'"],
      [
        'a malformed limit',
        { limit: '2016-Dec-05T10:00:00.000Z', operation: 'purge.service.all' },
        '',
        'INVALID_VALUE',
        expect.stringContaining("'limit'"),
      ],
      [
        'a limit that is a number',
        { limit: 1700000000000, operation: 'purge.service.all' },
        '',
        'INVALID_VALUE',
        expect.stringContaining("'limit'"),
      ],
      [
        'an unknown operation',
        { limit: LIMIT, operation: 'purge.service.everything' },
        '',
        'INVALID_VALUE',
        expect.stringContaining("'operation'"),
      ],
      ['a JSON array body', [LIMIT], '', 'MALFORMED_JSON', expect.stringContaining('Invalid JSON body')],
      [
        'no body and no query parameters',
        undefined,
        '',
        'MISSING_PARAMETER',
        "Missing mandatory query parameter 'limit'",
      ],
      [
        'a malformed limit query parameter',
        undefined,
        '?limit=yesterday&operation=purge.service.all',
        'INVALID_PARAMETER',
        expect.stringContaining("query parameter 'limit'"),
      ],
      [
        'an unknown operation query parameter',
        undefined,
        `?limit=${encodeURIComponent(LIMIT)}&operation=purge`,
        'INVALID_PARAMETER',
        expect.stringContaining("query parameter 'operation'"),
      ],
    ])('%s', async (_name, body, query, code, message) => {
      const headers = freshTenant();
      const ids = await fixture(headers);
      const res = await purge(body, headers, query);
      expectError(res, { status: 400, code, method: 'POST', uri, message });
      expect(await survivors(ids, headers)).toEqual(Object.keys(ids).sort());
    });
  });
});
