import request from 'supertest';
import { DataSource } from 'typeorm';
import { testBackends, type Backend } from './backends';
import { expectErrorResponse } from './expect-error';
import { outboxRecords } from './outbox';
import { waitFor } from './spawn-app';
import type { StartedApp } from './start-in-process';
import { databaseBehindProxy, type TcpProxy } from './tcp-proxy';

/** What the database outage drill needs to know about one app (jest-only: registers describe/it). */
export interface DatabaseOutageDrill {
  /** e.g. 'gms': names the suite. */
  name: string;
  /** The env variable holding the app's database URL, e.g. GMS_DATABASE_URL: it is pointed at the proxy. */
  databaseUrlVar: string;
  start(backend: Backend, overrides: Record<string, string>): Promise<StartedApp<unknown>>;
  /** One write, POSTed through the gateway: 201 with the new id in `idField` when acknowledged. */
  write: { uri: string; body(label: string): object };
  idField: string;
  /** The read of one written resource, e.g. `${BASE}/services/${id}`. */
  readUri(id: string): string;
  /** Where the acknowledged rows are counted. */
  rows: { table: string; idColumn: string };
  /** The outbox record each acknowledged write adds (delivered once the relay is back). */
  event: { subject: string; aggregate(id: string): string };
}

/**
 * The outage is a MariaDB matter: the drill runs on the real backend whatever CS_TEST_BACKENDS
 * says, and fails (never skips) when the servers cannot be reached.
 */
function realBackend(): Backend {
  const wanted = process.env.CS_TEST_BACKENDS;
  process.env.CS_TEST_BACKENDS = 'real-only';
  try {
    return testBackends()[0];
  } finally {
    if (wanted === undefined) delete process.env.CS_TEST_BACKENDS;
    else process.env.CS_TEST_BACKENDS = wanted;
  }
}

async function timed<T>(run: () => Promise<T>): Promise<{ res: T; ms: number }> {
  const started = Date.now();
  const res = await run();
  return { res, ms: Date.now() - started };
}

/**
 * Database outage drill (decision 0009): a TCP proxy between the app and MariaDB stops forwarding, so
 * every statement hangs. Requests needing the database answer 503 + Retry-After within 2 s, ready
 * goes down while live stays up, and after the database returns the app recovers without a restart,
 * with every acknowledged write (and its event) kept.
 */
export function describeDatabaseOutage(drill: DatabaseOutageDrill): void {
  describe(`${drill.name} database outage (real)`, () => {
    const backend = realBackend();
    let started: StartedApp<unknown>;
    let proxy: TcpProxy;
    const acknowledged: string[] = [];

    beforeAll(async () => {
      const env = backend.env();
      const behind = await databaseBehindProxy(env[drill.databaseUrlVar]);
      proxy = behind.proxy;
      started = await drill.start(backend, {
        ...env,
        [drill.databaseUrlVar]: behind.url,
        CS_OUTBOX_POLL_MS: '200',
      });
    });

    afterAll(async () => {
      proxy?.resume();
      await started?.close();
      await proxy?.close();
    });

    const write = (label: string) => request(started.url).post(drill.write.uri).send(drill.write.body(label));
    const idOf = (res: request.Response) => (res.body as Record<string, string>)[drill.idField];
    const ready = () => request(started.directUrl).get('/health/ready');

    async function writeAcknowledged(label: string): Promise<void> {
      const res = await write(label);
      expect(res.status).toBe(201);
      acknowledged.push(idOf(res));
    }

    function expectUnavailable(
      { res, ms }: { res: request.Response; ms: number },
      method: string,
      uri: string,
    ): void {
      expectErrorResponse(res, { status: 503, code: 'SERVICE_UNAVAILABLE', method, uri });
      expect(res.headers['retry-after']).toBe('2');
      expect(JSON.stringify(res.body)).not.toMatch(/SELECT|INSERT|UPDATE|ETIMEDOUT|PROTOCOL_|at \//);
      expect(ms).toBeLessThan(2000);
    }

    it('writes are acknowledged before the outage', async () => {
      for (let i = 0; i < 5; i++) await writeAcknowledged(`Before${i}`);
      expect((await ready()).status).toBe(200);
    });

    it('while the database hangs: 503 + Retry-After within 2 s, not ready within 5 s, still live', async () => {
      proxy.pause();
      // Probed from the pause on, alongside the requests below.
      const readyDown = timed(() =>
        waitFor(
          async () => (await ready()).status === 503,
          5000,
          () => 'readiness did not report the database down within 5 s of the pause',
        ),
      );

      // Several in a row: on a pooled connection (statement deadline), then on new ones (acquire deadline).
      for (let i = 0; i < 3; i++) {
        expectUnavailable(await timed(() => write(`During${i}`)), 'POST', drill.write.uri);
        const uri = drill.readUri(acknowledged[i]);
        expectUnavailable(await timed(() => request(started.url).get(uri)), 'GET', uri);
        const live = await timed(() => request(started.directUrl).get('/health/live'));
        expect({ status: live.res.status, fast: live.ms < 500 }).toEqual({ status: 200, fast: true });
      }
      await readyDown;

      const notReady = await timed(ready);
      expect(notReady.res.status).toBe(503);
      expect(notReady.res.body).toMatchObject({
        code: 'NOT_READY',
        message: expect.stringContaining('database down'),
      });
      expect(notReady.ms).toBeLessThan(1500);

      // Concurrent requests do not wedge the pool either.
      const burst = await timed(() => Promise.all([0, 1, 2, 3, 4, 5].map((i) => write(`Burst${i}`))));
      expect(burst.res.map((r) => r.status)).toEqual([503, 503, 503, 503, 503, 503]);
      expect(burst.ms).toBeLessThan(2000);
    });

    it('after the database returns: recovered within 5 s, no restart, every acknowledged write kept', async () => {
      const resumedAt = Date.now();
      proxy.resume();
      await waitFor(
        async () => {
          const res = await write('After0');
          if (res.status === 201) acknowledged.push(idOf(res));
          return res.status === 201;
        },
        5000,
        () => 'writes did not succeed within 5 s of the database returning',
      );
      await waitFor(
        async () => (await ready()).status === 200,
        Math.max(0, 5000 - (Date.now() - resumedAt)),
        () => 'readiness did not recover within 5 s',
      );
      for (let i = 1; i < 4; i++) await writeAcknowledged(`After${i}`);

      for (const id of acknowledged) {
        const res = await request(started.url).get(drill.readUri(id));
        expect({ id, status: res.status }).toEqual({ id, status: 200 });
      }
      const { table, idColumn } = drill.rows;
      const [row] = (await started.app
        .get(DataSource)
        .query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${idColumn} IN (?)`, [acknowledged])) as {
        n: string | number;
      }[];
      expect(Number(row.n)).toBe(acknowledged.length);

      // The relay came back too: the event of every acknowledged write is delivered.
      const undelivered = async () => {
        const rows = await outboxRecords(started.app);
        return acknowledged.filter(
          (id) =>
            !rows.some(
              (r) =>
                r.aggregate === drill.event.aggregate(id) &&
                r.subject === drill.event.subject &&
                r.sentAt !== null,
            ),
        );
      };
      await waitFor(
        async () => (await undelivered()).length === 0,
        20000,
        () => 'the outbox did not deliver the events of every acknowledged write',
      );
    });

    it('a database restart (every connection dropped at once) costs at most a 503 or two', async () => {
      proxy.cut();
      const statuses: number[] = [];
      await waitFor(
        async () => {
          const res = await write('Restart');
          statuses.push(res.status);
          if (res.status !== 201) expect(res.headers['retry-after']).toBe('2');
          return res.status === 201;
        },
        5000,
        () => `no write succeeded after the cut: ${statuses.join(', ')}`,
      );
      expect(statuses.length).toBeLessThanOrEqual(3);
      expect((await ready()).status).toBe(200);
    });
  });
}
