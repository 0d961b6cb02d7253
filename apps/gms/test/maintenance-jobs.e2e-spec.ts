/**
 * Maintenance jobs (issue 7, docs/decisions/0010): purge and export with `?async=true` run in the
 * background with progress, can be cancelled, and survive the death of the process running them.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EventSubjects } from '@cs/contracts';
import { freePort, spawnApp, testBackends, waitFor, type RunningApp } from '@cs/testing';
import { ServiceGraphRepository } from '../src/maintenance/service-graph.repository';
import { startGms, type StartedGms } from './start-gms';
import { listenForEvents, type EventListener } from './support';
import {
  BASE,
  client,
  expectError,
  freshTenant,
  insertChildren,
  insertServices,
  type BulkService,
  type Headers,
  type Json,
} from './maintenance-support';
import { NOT_FOUND_EXCEPTION } from './maintenance-support';

const LIMIT = '2025-01-01T00:00:00.000Z';
const BEFORE = Date.parse('2020-06-01T10:00:00.000Z');
const AFTER = Date.parse('2026-06-01T10:00:00.000Z');
const BATCH = 20;
/** Small batches with a pause between them: a few hundred services take seconds. */
const JOB_ENV = {
  GMS_JOB_POLL_MS: '50',
  GMS_JOB_LEASE_MS: '1500',
  GMS_JOB_BATCH_SIZE: String(BATCH),
  GMS_JOB_BATCH_PAUSE_MS: '50',
};
const FINISHED = ['succeeded', 'failed', 'cancelled'];

type JobView = Json & { job_id: string; status: string; done: number; total: number | null };

const services = (tenant: string, count: number, shape: Partial<BulkService> = {}): BulkService[] =>
  Array.from({ length: count }, (_, i) => ({
    serviceId: `5-${randomUUID()}`,
    tenant,
    startedAt: BEFORE + i,
    completedAt: BEFORE + 1000 + i,
    ...shape,
  }));

async function count(ds: DataSource, table: string, tenant: string): Promise<number> {
  const rows = (await ds.query(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant = ?`, [tenant])) as {
    n: number | string;
  }[];
  return Number(rows[0].n);
}

async function serviceIds(ds: DataSource, tenant: string): Promise<string[]> {
  const rows = (await ds.query('SELECT service_id AS id FROM services WHERE tenant = ?', [tenant])) as {
    id: string;
  }[];
  return rows.map((r) => r.id).sort();
}

/** GET a job through `url` until `done(job)`; returns it. */
async function pollJob(
  url: string,
  jobId: string,
  headers: Headers,
  until: (job: JobView) => boolean,
  timeoutMs = 30000,
): Promise<JobView> {
  let job: JobView | undefined;
  await waitFor(
    async () => {
      const res = await request(url).get(`${BASE}/maintenance/jobs/${jobId}`).set(headers);
      expect(res.status).toBe(200);
      job = res.body as JobView;
      return until(job);
    },
    timeoutMs,
    () => `job ${jobId} is ${JSON.stringify(job)}`,
  );
  return job as JobView;
}

describe.each(testBackends().map((b) => [b.name, b] as const))('gms maintenance jobs (%s)', (_, backend) => {
  describe('on one gms', () => {
    let gms: StartedGms;
    let listener: EventListener;
    let exportDir: string;
    const api = client(() => gms.url);
    const ds = () => gms.app.get(DataSource);

    beforeAll(async () => {
      exportDir = mkdtempSync(join(tmpdir(), 'gms-jobs-export-'));
      gms = await startGms(backend, { ...JOB_ENV, GMS_EXPORT_DIR: exportDir });
      listener = await listenForEvents(gms.env);
    });

    afterAll(async () => {
      await listener?.close();
      await gms?.close();
    });

    const purge = (body: Json, headers: Headers, query = '') =>
      api.post(`/maintenance/purge${query}`, body, headers);

    it('async purge: 202 with Location and the job, which purges what the synchronous call purges', async () => {
      const asyncTenant = freshTenant();
      const syncTenant = freshTenant();
      // The same services in both tenants: anonymous completed (purged), identified, active, too recent.
      const fixture = [
        ...services('', 45),
        ...services('', 10, { customerId: 'C-1' }),
        ...services('', 5, { completedAt: undefined }),
        ...services('', 5, { startedAt: AFTER, completedAt: AFTER + 1 }),
      ];
      for (const headers of [asyncTenant, syncTenant]) {
        const rows = fixture.map((s) => ({ ...s, tenant: headers.ContactCenterId }));
        await insertServices(ds(), rows);
        await insertChildren(
          ds(),
          headers.ContactCenterId,
          rows.map((s) => s.serviceId),
        );
      }
      const body = { limit: LIMIT, operation: 'purge.service.completed.anonymous' };

      const accepted = await purge(body, asyncTenant, '?async=true');
      expect(accepted.status).toBe(202);
      const job = accepted.body as JobView;
      expect(job).toMatchObject({
        kind: 'purge',
        status: 'queued',
        parameters: { operation: 'purge.service.completed.anonymous', limit: LIMIT },
        done: 0,
        total: null,
        result: null,
        error: null,
      });
      expect(accepted.headers.location).toBe(`${BASE}/maintenance/jobs/${job.job_id}`);

      // Progress while it runs: done grows towards total, rate and ETA appear.
      const running = await pollJob(gms.url, job.job_id, asyncTenant, (j) => j.done > 0);
      if (running.status === 'running') {
        expect(running.total).toBe(45);
        expect(running.done).toBeLessThanOrEqual(45);
        expect(running.rate_per_second).toBeGreaterThan(0);
        expect(running.eta_seconds).toBeGreaterThanOrEqual(0);
      }

      const location = accepted.headers.location as string;
      let done: JobView | undefined;
      await waitFor(
        async () => {
          done = (await request(gms.url).get(location).set(asyncTenant)).body as JobView;
          return FINISHED.includes(done.status);
        },
        30000,
        () => JSON.stringify(done),
      );
      expect(done).toMatchObject({ status: 'succeeded', done: 45, total: 45, eta_seconds: 0, attempts: 1 });
      expect(done?.rate_per_second).toBeGreaterThan(0);
      expect(Date.parse(done?.finished_at as string)).toBeGreaterThanOrEqual(
        Date.parse(done?.started_at as string),
      );

      expect((await purge(body, syncTenant)).status).toBe(200);
      const kept = await serviceIds(ds(), asyncTenant.ContactCenterId);
      expect(kept).toHaveLength(20);
      expect(kept).toEqual(await serviceIds(ds(), syncTenant.ContactCenterId));
      for (const table of ['states', 'tasks'])
        expect(await count(ds(), table, asyncTenant.ContactCenterId)).toBe(20);

      // One cs.gms.service.deleted (reason purge) per purged service, as the synchronous purge sends.
      await waitFor(
        async () =>
          listener.events.filter(
            (e) => e.type === EventSubjects.gmsServiceDeleted && e.tenant === asyncTenant.ContactCenterId,
          ).length >= 45,
        15000,
        () => 'deleted events missing',
      );
      const deleted = listener.events.filter(
        (e) => e.type === EventSubjects.gmsServiceDeleted && e.tenant === asyncTenant.ContactCenterId,
      );
      expect(deleted).toHaveLength(45);
      expect(deleted.every((e) => (e.meta as Json).reason === 'purge')).toBe(true);
    });

    it('async export: 202, then the files the synchronous call writes, never a partial file', async () => {
      const headers = freshTenant();
      const rows = services(headers.ContactCenterId, 50);
      await insertServices(ds(), rows);
      await insertChildren(
        ds(),
        headers.ContactCenterId,
        rows.map((s) => s.serviceId),
      );
      const query = `?time_from=${new Date(BEFORE).toISOString()}&time_to=${new Date(BEFORE + 60000).toISOString()}&format=json`;

      const accepted = await api.post(`/maintenance/services/files${query}&async=true`, undefined, headers);
      expect(accepted.status).toBe(202);
      const job = accepted.body as JobView;
      expect(job).toMatchObject({ kind: 'export', status: 'queued' });
      expect(job.parameters).toMatchObject({ filter_events: 'any', filter_state: 'any', format: 'json' });
      expect(accepted.headers.location).toBe(`${BASE}/maintenance/jobs/${job.job_id}`);

      const done = await pollJob(gms.url, job.job_id, headers, (j) => FINISHED.includes(j.status));
      expect(done).toMatchObject({ status: 'succeeded', done: 50, total: 50 });
      const created = (done.result as { created: string[] }).created;
      expect(created).toHaveLength(3);
      for (const path of created) expect(existsSync(path)).toBe(true);
      expect(readdirSync(exportDir).filter((name) => name.endsWith('.part'))).toEqual([]);

      const sync = await api.post(`/maintenance/services/files${query}`, undefined, headers);
      expect(sync.status).toBe(200);
      const syncCreated = (sync.body as { created: string[] }).created;
      for (let i = 0; i < 3; i++)
        expect(readFileSync(created[i], 'utf8')).toBe(readFileSync(syncCreated[i], 'utf8'));
      expect(JSON.parse(readFileSync(created[0], 'utf8'))).toHaveLength(50);
    });

    it('cancel: a running purge stops at a batch boundary; what it purged stays purged, nothing half done', async () => {
      const headers = freshTenant();
      const tenant = headers.ContactCenterId;
      const rows = services(tenant, 1000);
      await insertServices(ds(), rows);
      await insertChildren(
        ds(),
        tenant,
        rows.map((s) => s.serviceId),
      );
      const accepted = await purge({ limit: LIMIT, operation: 'purge.service.all' }, headers, '?async=true');
      expect(accepted.status).toBe(202);
      const jobId = (accepted.body as JobView).job_id;
      await pollJob(gms.url, jobId, headers, (j) => j.done >= 2 * BATCH);

      const cancelled = await api.post(`/maintenance/jobs/${jobId}/cancel`, undefined, headers);
      expect(cancelled.status).toBe(200);
      const view = cancelled.body as JobView;
      expect(view).toMatchObject({ status: 'cancelled', eta_seconds: 0 });
      expect(view.finished_at).not.toBeNull();

      // Give a batch in flight the time to end: it is rolled back, not committed.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const later = (await api.get(`/maintenance/jobs/${jobId}`, headers)).body as JobView;
      expect(later).toMatchObject({ status: 'cancelled', done: view.done });
      expect(view.done).toBeGreaterThan(0);
      expect(view.done).toBeLessThan(1000);
      expect(view.done % BATCH).toBe(0);
      const left = 1000 - view.done;
      expect(await count(ds(), 'services', tenant)).toBe(left);
      expect(await count(ds(), 'states', tenant)).toBe(left);
      expect(await count(ds(), 'tasks', tenant)).toBe(left);

      // Cancelling again changes nothing.
      const again = await api.post(`/maintenance/jobs/${jobId}/cancel`, undefined, headers);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ status: 'cancelled', done: view.done });
    });

    it('a database failure during a job gives it back (queued), retried after a lease period; it then completes', async () => {
      const headers = freshTenant();
      await insertServices(ds(), services(headers.ContactCenterId, 30));
      // What mysql2 raises when the server closes the connection (also: a statement deadline, decision 0009).
      const lost = Object.assign(new Error('Connection lost: The server closed the connection.'), {
        code: 'PROTOCOL_CONNECTION_LOST',
        fatal: true,
      });
      const spy = jest.spyOn(gms.app.get(ServiceGraphRepository), 'countPurge').mockRejectedValueOnce(lost);
      try {
        const accepted = await purge(
          { limit: LIMIT, operation: 'purge.service.all' },
          headers,
          '?async=true',
        );
        const jobId = (accepted.body as JobView).job_id;
        const released = await pollJob(
          gms.url,
          jobId,
          headers,
          (j) => j.status !== 'running' && j.attempts === 1,
        );
        expect(released).toMatchObject({ status: 'queued', done: 0, error: null });

        const done = await pollJob(gms.url, jobId, headers, (j) => FINISHED.includes(j.status));
        expect(done).toMatchObject({ status: 'succeeded', done: 30, total: 30, attempts: 2, error: null });
        expect(await count(ds(), 'services', headers.ContactCenterId)).toBe(0);
      } finally {
        spy.mockRestore();
      }
    });

    it("jobs are the tenant's own: another tenant gets 404, lists only its own", async () => {
      const mine = freshTenant();
      const other = freshTenant();
      const accepted = await purge({ limit: LIMIT, operation: 'purge.service.all' }, mine, '?async=true');
      const jobId = (accepted.body as JobView).job_id;
      const finished = await pollJob(gms.url, jobId, mine, (j) => FINISHED.includes(j.status));
      expect(finished).toMatchObject({ status: 'succeeded', done: 0, total: 0 });

      const uri = `${BASE}/maintenance/jobs/${jobId}`;
      const notFound = { status: 404, code: 'JOB_NOT_FOUND', exception: NOT_FOUND_EXCEPTION };
      expectError(await api.get(`/maintenance/jobs/${jobId}`, other), { ...notFound, method: 'GET', uri });
      expectError(await api.post(`/maintenance/jobs/${jobId}/cancel`, undefined, other), {
        ...notFound,
        method: 'POST',
        uri: `${uri}/cancel`,
      });
      const unknown = randomUUID();
      expectError(await api.get(`/maintenance/jobs/${unknown}`, mine), {
        ...notFound,
        method: 'GET',
        uri: `${BASE}/maintenance/jobs/${unknown}`,
      });

      const myList = await api.get('/maintenance/jobs', mine);
      expect(myList.status).toBe(200);
      expect((myList.body as JobView[]).map((j) => j.job_id)).toEqual([jobId]);
      const otherList = await api.get('/maintenance/jobs', other);
      expect(otherList.body).toEqual([]);

      // A finished job is left as it is by a cancel.
      const cancel = await api.post(`/maintenance/jobs/${jobId}/cancel`, undefined, mine);
      expect(cancel.status).toBe(200);
      expect(cancel.body).toMatchObject({ status: 'succeeded' });
    });

    it('async must be true or false (400 like every flag); false is the synchronous call', async () => {
      const headers = freshTenant();
      const body = { limit: LIMIT, operation: 'purge.service.all' };
      for (const value of ['yes', '1', '']) {
        expectError(await purge(body, headers, `?async=${value}`), {
          status: 400,
          code: 'INVALID_PARAMETER',
          method: 'POST',
          uri: `${BASE}/maintenance/purge`,
        });
        expectError(
          await api.post(
            `/maintenance/services/files?time_from=2024-01-01T00:00:00.000Z&async=${value}`,
            undefined,
            headers,
          ),
          {
            status: 400,
            code: 'INVALID_PARAMETER',
            method: 'POST',
            uri: `${BASE}/maintenance/services/files`,
          },
        );
      }
      const sync = await purge(body, headers, '?async=false');
      expect(sync.status).toBe(200);
      expect(sync.text).toBe('');
      expect(sync.headers.location).toBeUndefined();
      // Invalid purge parameters are refused before any job exists.
      expect(
        (await purge({ limit: 'soon', operation: 'purge.service.all' }, headers, '?async=true')).status,
      ).toBe(400);
      expect((await api.get('/maintenance/jobs', headers)).body).toEqual([]);
    });
  });

  describe('a gms stopped or killed in the middle of a job', () => {
    let gms: StartedGms;
    let exportDir: string;
    const runners: RunningApp[] = [];

    /** Another gms process on the same database that runs jobs. */
    async function runner(overrides: Record<string, string> = {}): Promise<RunningApp> {
      const port = await freePort();
      const shared = Object.fromEntries(
        Object.entries(gms.env)
          .filter(
            ([name, value]) => name.startsWith('CS_') && value !== undefined && typeof value !== 'object',
          )
          .map(([name, value]) => [name, String(value)]),
      );
      const app = await spawnApp('gms', port, {
        ...shared,
        ...JOB_ENV,
        GMS_PORT: String(port),
        GMS_HOST: '127.0.0.1',
        GMS_TCP_PORT: String(await freePort()),
        UCS_TCP_PORT: String(gms.env.UCS_TCP_PORT),
        GMS_DATABASE_URL: gms.env.GMS_DATABASE_URL,
        GMS_EXPORT_DIR: exportDir,
        ...(gms.env.NATS_URL ? { NATS_URL: gms.env.NATS_URL } : {}),
        ...overrides,
      });
      runners.push(app);
      return app;
    }

    beforeAll(async () => {
      exportDir = mkdtempSync(join(tmpdir(), 'gms-jobs-restart-'));
      // This one answers the API (through the gateway) but runs no job: the spawned ones do.
      gms = await startGms(backend, { ...JOB_ENV, GMS_JOB_RUNNER: 'false' });
    });

    // Each test starts its own runners: none is left to take the next test's job.
    afterEach(async () => {
      for (const app of runners.splice(0)) await app.stop();
    });

    afterAll(async () => {
      await gms?.close();
    });

    it('the job resumes on a restarted gms once the lease expires, and completes without loss', async () => {
      const api = client(() => gms.url);
      const ds = gms.app.get(DataSource);
      const headers = freshTenant();
      const tenant = headers.ContactCenterId;
      const rows = services(tenant, 600);
      await insertServices(ds, rows);
      await insertChildren(
        ds,
        tenant,
        rows.map((s) => s.serviceId),
      );

      const first = await runner();
      const accepted = await api.post(
        '/maintenance/purge?async=true',
        { limit: LIMIT, operation: 'purge.service.all' },
        headers,
      );
      expect(accepted.status).toBe(202);
      const jobId = (accepted.body as JobView).job_id;
      await pollJob(gms.url, jobId, headers, (j) => j.done >= 2 * BATCH);

      await first.stop('SIGKILL');
      const orphaned = await pollJob(gms.url, jobId, headers, () => true);
      expect(orphaned).toMatchObject({ status: 'running', total: 600, attempts: 1 });
      expect(orphaned.done).toBeLessThan(600);
      // Progress is committed with each batch: what is counted is exactly what is gone.
      expect(orphaned.done % BATCH).toBe(0);
      expect(await count(ds, 'services', tenant)).toBe(600 - orphaned.done);
      expect(await count(ds, 'states', tenant)).toBe(600 - orphaned.done);

      await runner();
      const done = await pollJob(gms.url, jobId, headers, (j) => FINISHED.includes(j.status), 60000);
      expect(done).toMatchObject({ status: 'succeeded', done: 600, total: 600, attempts: 2 });
      for (const table of ['services', 'states', 'tasks']) expect(await count(ds, table, tenant)).toBe(0);
    });

    it('a gms stopping gracefully gives its job back at a batch boundary; another one finishes it', async () => {
      const api = client(() => gms.url);
      const ds = gms.app.get(DataSource);
      const headers = freshTenant();
      const tenant = headers.ContactCenterId;
      const rows = services(tenant, 600);
      await insertServices(ds, rows);
      const first = await runner();
      const accepted = await api.post(
        '/maintenance/purge?async=true',
        { limit: LIMIT, operation: 'purge.service.all' },
        headers,
      );
      const jobId = (accepted.body as JobView).job_id;
      await pollJob(gms.url, jobId, headers, (j) => j.done >= 2 * BATCH);

      expect(await first.stop('SIGTERM')).toBe(0);
      const released = await pollJob(gms.url, jobId, headers, () => true);
      expect(released).toMatchObject({ status: 'queued', attempts: 1 });
      expect(released.done % BATCH).toBe(0);
      expect(await count(ds, 'services', tenant)).toBe(600 - released.done);

      await runner();
      const done = await pollJob(gms.url, jobId, headers, (j) => FINISHED.includes(j.status), 60000);
      expect(done).toMatchObject({ status: 'succeeded', done: 600, total: 600, attempts: 2 });
      expect(await count(ds, 'services', tenant)).toBe(0);
    });

    it('a job whose gms keeps dying (e.g. out of memory) is given up after GMS_JOB_MAX_ATTEMPTS runs', async () => {
      const api = client(() => gms.url);
      const ds = gms.app.get(DataSource);
      const headers = freshTenant();
      const tenant = headers.ContactCenterId;
      await insertServices(ds, services(tenant, 600));
      const oneRun = { GMS_JOB_MAX_ATTEMPTS: '1' };
      const first = await runner(oneRun);
      const accepted = await api.post(
        '/maintenance/purge?async=true',
        { limit: LIMIT, operation: 'purge.service.all' },
        headers,
      );
      const jobId = (accepted.body as JobView).job_id;
      await pollJob(gms.url, jobId, headers, (j) => j.done >= 2 * BATCH);
      await first.stop('SIGKILL');

      // The next runner takes the job over once the lease expires, but does not run it a second time.
      await runner(oneRun);
      const failed = await pollJob(gms.url, jobId, headers, (j) => FINISHED.includes(j.status), 60000);
      expect(failed).toMatchObject({
        status: 'failed',
        attempts: 1,
        error:
          'The job was given up after 1 attempt (GMS_JOB_MAX_ATTEMPTS): none finished it; see the gms log.',
      });
      expect(failed.finished_at).not.toBeNull();
      expect(await count(ds, 'services', tenant)).toBe(600 - failed.done);
    });

    it('an export whose gms was killed starts over with new files; the partial ones are removed', async () => {
      const api = client(() => gms.url);
      const ds = gms.app.get(DataSource);
      const headers = freshTenant();
      const rows = services(headers.ContactCenterId, 600);
      await insertServices(ds, rows);
      const first = await runner();
      const query = `time_from=${new Date(BEFORE).toISOString()}&time_to=${new Date(BEFORE + 60000).toISOString()}`;
      const accepted = await api.post(`/maintenance/services/files?${query}&async=true`, undefined, headers);
      expect(accepted.status).toBe(202);
      const jobId = (accepted.body as JobView).job_id;
      await pollJob(gms.url, jobId, headers, (j) => j.done >= 2 * BATCH);

      await first.stop('SIGKILL');
      const partial = readdirSync(exportDir).filter((name) => name.endsWith('.part'));
      expect(partial).toHaveLength(3);

      await runner();
      const done = await pollJob(gms.url, jobId, headers, (j) => FINISHED.includes(j.status), 60000);
      expect(done).toMatchObject({ status: 'succeeded', done: 600, total: 600, attempts: 2 });
      const created = (done.result as { created: string[] }).created;
      expect(readdirSync(exportDir).sort()).toEqual(created.map((path) => basename(path)).sort());
      // Header and one CRLF-terminated row per service.
      expect(readFileSync(created[0], 'utf8').split('\r\n')).toHaveLength(1 + 600 + 1);
    });
  });
});
