/**
 * Background behaviour, spec §4.28 (expiration §1.7, auto-completion §1.8, §5 items 50–51), and the
 * ARCHITECTURE §1 rule that sweeps are safe with many replicas.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EventSubjects, type EventEnvelope } from '@cs/contracts';
import { freePort, spawnApp, testBackends, waitFor, type RunningApp } from '@cs/testing';
import { startGms, type StartedGms } from './start-gms';
import { listenForEvents, type EventListener } from './support';
import {
  client,
  countChildren,
  freshTenant,
  insertChildren,
  insertServices,
  type Json,
} from './maintenance-support';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const idOf = (event: EventEnvelope) => (event.data as Json).service_id as string;

async function rowCount(ds: DataSource, sql: string, params: unknown[]): Promise<number> {
  return Number(((await ds.query(sql, params)) as { n: number | string }[])[0].n);
}

describe.each(testBackends().map((b) => [b.name, b] as const))('gms background sweeps (%s)', (_, backend) => {
  describe('§4.28 expiration sweep (auto-complete disabled)', () => {
    let gms: StartedGms;
    let listener: EventListener;
    const api = client(() => gms.url);

    beforeAll(async () => {
      gms = await startGms(backend, { GMS_SWEEP_INTERVAL_MS: '200' });
      listener = await listenForEvents(gms.env);
    });

    afterAll(async () => {
      await listener?.close();
      await gms?.close();
    });

    it('§4.28 §1.7 deletes an expired service with its states and tasks and publishes cs.gms.service.expired', async () => {
      const headers = freshTenant();
      const expiring = await api.start({ contact_key: 'K', ttl: 1, Memo: { keep: 'me' } }, headers);
      const stateId = await api.startState(expiring, {}, headers);
      await api.startTask(expiring, { state_id: stateId }, headers);
      const lasting = await api.start({ contact_key: 'K', ttl: 3600 }, headers);
      await api.startState(lasting, {}, headers);
      const ds = gms.app.get(DataSource);

      await waitFor(
        async () =>
          (await rowCount(ds, 'SELECT COUNT(*) AS n FROM services WHERE service_id = ?', [expiring])) === 0,
        15000,
        () => 'the expired service row is still there',
      );
      expect(await countChildren(ds, [expiring])).toEqual({ states: 0, tasks: 0 });
      const event = await listener.next(
        (e) => e.type === EventSubjects.gmsServiceExpired && idOf(e) === expiring,
      );
      expect(event.tenant).toBe(headers.ContactCenterId);
      expect(event.data).toMatchObject({ service_id: expiring, contact_key: 'K', Memo: { keep: 'me' } });

      expect(await api.exists(lasting, headers)).toBe(true);
      expect(await countChildren(ds, [lasting])).toEqual({ states: 1, tasks: 0 });
      expect(
        listener.events.filter((e) => idOf(e) === expiring && e.type === EventSubjects.gmsServiceExpired),
      ).toHaveLength(1);
    });

    it('§5 item 50 without GMS_AUTO_COMPLETE_ENABLED a service with auto_complete_after stays active', async () => {
      const headers = freshTenant();
      const id = await api.start({ contact_key: 'K', auto_complete_after: 1 }, headers);
      await sleep(2000); // ten sweeps
      const res = await api.get(`/services/${id}`, headers);
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty('completed');
      expect(
        listener.events.some((e) => e.type === EventSubjects.gmsServiceCompleted && idOf(e) === id),
      ).toBe(false);
    });
  });

  describe('§4.28 auto-complete sweep (GMS_AUTO_COMPLETE_ENABLED=true)', () => {
    let gms: StartedGms;
    let listener: EventListener;
    const api = client(() => gms.url);

    beforeAll(async () => {
      gms = await startGms(backend, { GMS_SWEEP_INTERVAL_MS: '200', GMS_AUTO_COMPLETE_ENABLED: 'true' });
      listener = await listenForEvents(gms.env);
    });

    afterAll(async () => {
      await listener?.close();
      await gms?.close();
    });

    it('§4.28 §1.8 completes an idle service with its still-active states and tasks, reason auto-complete', async () => {
      const headers = freshTenant();
      const id = await api.start(
        { customer_id: 'C-1', auto_complete_after: 1, timestamp: '2024-03-04T09:00:00.000Z' },
        headers,
      );
      const open = await api.startState(id, { timestamp: '2024-03-04T09:01:00.000Z' }, headers);
      const closed = await api.startState(id, { timestamp: '2024-03-04T09:02:00.000Z' }, headers);
      const endState = await api.post(
        `/services/${id}/states/${closed}/end`,
        { timestamp: '2024-03-04T09:03:00.000Z', disposition: 'Done' },
        headers,
      );
      expect(endState.status).toBe(204);
      const openTask = await api.startTask(
        id,
        { state_id: open, timestamp: '2024-03-04T09:04:00.000Z' },
        headers,
      );
      const doneTask = await api.startTask(id, { timestamp: '2024-03-04T09:05:00.000Z' }, headers);
      // Taken before the last write is sent: the deadline counts from the moment gms handles it.
      const lastWrite = Date.now();
      const endTask = await api.post(
        `/services/${id}/tasks/${doneTask}/end`,
        { timestamp: '2024-03-04T09:06:00.000Z' },
        headers,
      );
      expect(endTask.status).toBe(204);
      const idle = await api.start({ customer_id: 'C-1', auto_complete_after: 3600 }, headers);

      const event = await listener.next(
        (e) => e.type === EventSubjects.gmsServiceCompleted && idOf(e) === id,
      );
      expect(event.meta).toMatchObject({ reason: 'auto-complete' });
      const res = await api.get(
        `/services/${id}?active_states=true&completed_states=true&active_tasks=true&completed_tasks=true`,
        headers,
      );
      expect(res.status).toBe(200);
      const service = res.body as Json & { completed: { timestamp: string } };
      const completedAt = service.completed.timestamp;
      expect(service.completed).toEqual({ timestamp: completedAt });
      expect(Date.parse(completedAt)).toBeGreaterThanOrEqual(lastWrite + 1000);
      expect(service).not.toHaveProperty('disposition');
      expect(service.duration).toBe(Date.parse(completedAt) - Date.parse('2024-03-04T09:00:00.000Z'));
      expect(service.active_states).toEqual([]);
      expect(service.completed_states).toEqual([
        expect.objectContaining({ state_id: open, completed: { timestamp: completedAt } }),
        expect.objectContaining({
          state_id: closed,
          completed: { timestamp: '2024-03-04T09:03:00.000Z' },
          disposition: 'Done',
        }),
      ]);
      expect((service.completed_states as Json[])[0]).not.toHaveProperty('disposition');
      expect(service.active_tasks).toEqual([]);
      expect(service.completed_tasks).toEqual([
        expect.objectContaining({ task_id: openTask, completed: { timestamp: completedAt } }),
        expect.objectContaining({ task_id: doneTask, completed: { timestamp: '2024-03-04T09:06:00.000Z' } }),
      ]);
      expect(event.data).toMatchObject({ service_id: id, completed: { timestamp: completedAt } });

      // Completed once: the deadline is cleared, so later sweeps leave it alone.
      await sleep(600);
      expect(
        listener.events.filter((e) => e.type === EventSubjects.gmsServiceCompleted && idOf(e) === id),
      ).toHaveLength(1);
      const row = (await gms.app
        .get(DataSource)
        .query('SELECT auto_complete_at FROM services WHERE service_id = ?', [id])) as {
        auto_complete_at: unknown;
      }[];
      expect(row[0].auto_complete_at).toBeNull();
      expect(((await api.get(`/services/${idle}`, headers)).body as Json).completed).toBeUndefined();
    });

    it('§5 item 51 a service written to within its delay is not completed; it is once it goes idle', async () => {
      const headers = freshTenant();
      const id = await api.start({ contact_key: 'K', auto_complete_after: 2 }, headers);
      const until = Date.now() + 4000;
      for (let n = 0; Date.now() < until; n++) {
        const res = await api.put(`/services/${id}/extensions/Tick`, n, headers);
        expect(res.status).toBe(200);
        await sleep(400);
      }
      expect(((await api.get(`/services/${id}`, headers)).body as Json).completed).toBeUndefined();
      const idleSince = Date.now();
      await listener.next((e) => e.type === EventSubjects.gmsServiceCompleted && idOf(e) === id);
      const completed = ((await api.get(`/services/${id}`, headers)).body as Json).completed as {
        timestamp: string;
      };
      expect(Date.parse(completed.timestamp)).toBeGreaterThanOrEqual(idleSince + 1000);
    });
  });

  describe('ARCHITECTURE §1 two gms processes sweeping the same database', () => {
    let gms: StartedGms;
    let second: RunningApp | undefined;
    let listener: EventListener;

    beforeAll(async () => {
      const sweeps = { GMS_SWEEP_INTERVAL_MS: '100', GMS_AUTO_COMPLETE_ENABLED: 'true' };
      gms = await startGms(backend, sweeps);
      listener = await listenForEvents(gms.env);
      const port = await freePort();
      second = await spawnApp('gms', port, {
        ...sweeps,
        GMS_PORT: String(port),
        GMS_HOST: '127.0.0.1',
        GMS_TCP_PORT: String(await freePort()),
        UCS_TCP_PORT: String(gms.env.UCS_TCP_PORT),
        GMS_DATABASE_URL: gms.env.GMS_DATABASE_URL,
        ...(gms.env.NATS_URL ? { NATS_URL: gms.env.NATS_URL } : {}),
        LOG_LEVEL: 'info',
      });
    });

    afterAll(async () => {
      await second?.stop();
      await listener?.close();
      await gms?.close();
    });

    it('§4.28 each due service is completed or expired exactly once: one event each, no errors', async () => {
      const tenant = freshTenant().ContactCenterId;
      const ds = gms.app.get(DataSource);
      const due = Date.now() + 2500; // both processes are running before anything is due
      const toComplete = Array.from({ length: 250 }, (_, i) => ({
        serviceId: `5-${randomUUID()}`,
        tenant,
        startedAt: Date.parse('2024-03-04T09:00:00.000Z') + i,
        customerId: `C-${i}`,
        autoCompleteAt: due,
      }));
      const toExpire = Array.from({ length: 250 }, (_, i) => ({
        serviceId: `5-${randomUUID()}`,
        tenant,
        startedAt: Date.parse('2024-03-04T09:00:00.000Z') + i,
        expiresAt: due,
      }));
      await insertServices(ds, [...toComplete, ...toExpire]);
      await insertChildren(
        ds,
        tenant,
        [...toComplete, ...toExpire].map((s) => s.serviceId),
      );
      expect(Date.now()).toBeLessThan(due);

      const completeIds = new Set(toComplete.map((s) => s.serviceId));
      const expireIds = new Set(toExpire.map((s) => s.serviceId));
      const ofKind = (type: string, ids: Set<string>) =>
        listener.events.filter((e) => e.type === type && ids.has(idOf(e)));
      await waitFor(
        async () =>
          ofKind(EventSubjects.gmsServiceCompleted, completeIds).length >= completeIds.size &&
          ofKind(EventSubjects.gmsServiceExpired, expireIds).length >= expireIds.size,
        30000,
        () =>
          `events: ${ofKind(EventSubjects.gmsServiceCompleted, completeIds).length} completed, ` +
          `${ofKind(EventSubjects.gmsServiceExpired, expireIds).length} expired`,
      );
      await sleep(1000); // room for a duplicate to show up

      const completed = ofKind(EventSubjects.gmsServiceCompleted, completeIds);
      expect(new Set(completed.map(idOf)).size).toBe(completeIds.size);
      expect(completed).toHaveLength(completeIds.size);
      for (const event of completed) expect(event.meta).toMatchObject({ reason: 'auto-complete' });
      const expired = ofKind(EventSubjects.gmsServiceExpired, expireIds);
      expect(new Set(expired.map(idOf)).size).toBe(expireIds.size);
      expect(expired).toHaveLength(expireIds.size);
      // No service got the other kind of event.
      expect(ofKind(EventSubjects.gmsServiceExpired, completeIds)).toHaveLength(0);
      expect(ofKind(EventSubjects.gmsServiceCompleted, expireIds)).toHaveLength(0);

      const ids = (set: Set<string>) => [...set];
      const marks = (n: number) => Array(n).fill('?').join(',');
      expect(
        await rowCount(
          ds,
          `SELECT COUNT(*) AS n FROM services WHERE service_id IN (${marks(expireIds.size)})`,
          ids(expireIds),
        ),
      ).toBe(0);
      expect(await countChildren(ds, ids(expireIds))).toEqual({ states: 0, tasks: 0 });
      for (const table of ['services', 'states', 'tasks']) {
        const open = await rowCount(
          ds,
          `SELECT COUNT(*) AS n FROM ${table} WHERE completed_at IS NULL AND service_id IN (${marks(completeIds.size)})`,
          ids(completeIds),
        );
        expect({ table, open }).toEqual({ table, open: 0 });
      }
      // Every service, state and task of a completed service carries the one completion time of its sweep.
      const mismatched = await rowCount(
        ds,
        `SELECT COUNT(*) AS n FROM states st JOIN services s ON s.tenant = st.tenant AND s.service_id = st.service_id
          WHERE st.completed_at <> s.completed_at AND s.service_id IN (${marks(completeIds.size)})`,
        ids(completeIds),
      );
      expect(mismatched).toBe(0);
      const output = second?.output() ?? '';
      expect(output).not.toMatch(/"level":"(error|fatal)"/);
    });
  });
});
