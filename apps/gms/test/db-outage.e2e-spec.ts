import { EventSubjects } from '@cs/contracts';
import {
  databaseBehindProxy,
  expectErrorResponse,
  outboxRecords,
  testBackends,
  waitFor,
  type Backend,
  type TcpProxy,
} from '@cs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { startGms, type StartedGms } from './start-gms';

const BASE = '/genesys/1/cs';

/**
 * The outage is a MariaDB matter: this suite runs on the real backend whatever CS_TEST_BACKENDS
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
 * Database outage drill (decision 0009): a TCP proxy between gms and MariaDB stops forwarding, so
 * every statement hangs. Requests needing the database answer 503 + Retry-After within 2 s, ready
 * goes down while live stays up, and after the database returns gms recovers without a restart,
 * with every acknowledged write (and its event) kept.
 */
describe('gms database outage (real)', () => {
  const backend = realBackend();
  let gms: StartedGms;
  let proxy: TcpProxy;
  const acknowledged: string[] = [];

  beforeAll(async () => {
    const env = backend.env();
    const behind = await databaseBehindProxy(env.GMS_DATABASE_URL);
    proxy = behind.proxy;
    gms = await startGms(backend, { ...env, GMS_DATABASE_URL: behind.url, CS_OUTBOX_POLL_MS: '200' });
  });

  afterAll(async () => {
    proxy?.resume();
    await gms?.close();
    await proxy?.close();
  });

  const start = (customer: string) =>
    request(gms.url).post(`${BASE}/services/start`).send({ customer_id: customer });

  async function startAcknowledged(customer: string): Promise<void> {
    const res = await start(customer);
    expect(res.status).toBe(201);
    acknowledged.push((res.body as { service_id: string }).service_id);
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
    for (let i = 0; i < 5; i++) await startAcknowledged(`C-BEFORE-${i}`);
    expect((await request(gms.directUrl).get('/health/ready')).status).toBe(200);
  });

  it('while the database hangs: 503 + Retry-After within 2 s, not ready within 5 s, still live', async () => {
    proxy.pause();
    // Probed from the pause on, alongside the requests below.
    const readyDown = timed(() =>
      waitFor(
        async () => (await request(gms.directUrl).get('/health/ready')).status === 503,
        5000,
        () => 'readiness did not report the database down within 5 s of the pause',
      ),
    );

    // Several in a row: on a pooled connection (statement deadline), then on new ones (acquire deadline).
    for (let i = 0; i < 3; i++) {
      expectUnavailable(await timed(() => start(`C-DURING-${i}`)), 'POST', `${BASE}/services/start`);
      const uri = `${BASE}/services/${acknowledged[i]}`;
      expectUnavailable(await timed(() => request(gms.url).get(uri)), 'GET', uri);
      const live = await timed(() => request(gms.directUrl).get('/health/live'));
      expect({ status: live.res.status, fast: live.ms < 500 }).toEqual({ status: 200, fast: true });
    }
    await readyDown;

    const ready = await timed(() => request(gms.directUrl).get('/health/ready'));
    expect(ready.res.status).toBe(503);
    expect(ready.res.body).toMatchObject({
      code: 'NOT_READY',
      message: expect.stringContaining('database down'),
    });
    expect(ready.ms).toBeLessThan(1500);

    // Concurrent requests do not wedge the pool either.
    const burst = await timed(() => Promise.all([0, 1, 2, 3, 4, 5].map((i) => start(`C-BURST-${i}`))));
    expect(burst.res.map((r) => r.status)).toEqual([503, 503, 503, 503, 503, 503]);
    expect(burst.ms).toBeLessThan(2000);
  });

  it('after the database returns: recovered within 5 s, no restart, every acknowledged write kept', async () => {
    const resumedAt = Date.now();
    proxy.resume();
    await waitFor(
      async () => {
        const res = await start('C-AFTER-0');
        if (res.status === 201) acknowledged.push((res.body as { service_id: string }).service_id);
        return res.status === 201;
      },
      5000,
      () => 'writes did not succeed within 5 s of the database returning',
    );
    await waitFor(
      async () => (await request(gms.directUrl).get('/health/ready')).status === 200,
      Math.max(0, 5000 - (Date.now() - resumedAt)),
      () => 'readiness did not recover within 5 s',
    );
    for (let i = 1; i < 4; i++) await startAcknowledged(`C-AFTER-${i}`);

    for (const id of acknowledged) {
      const res = await request(gms.url).get(`${BASE}/services/${id}`);
      expect({ id, status: res.status }).toEqual({ id, status: 200 });
    }
    const [row] = (await gms.app
      .get(DataSource)
      .query('SELECT COUNT(*) AS n FROM services WHERE service_id IN (?)', [acknowledged])) as {
      n: string | number;
    }[];
    expect(Number(row.n)).toBe(acknowledged.length);

    // The relay came back too: the started event of every acknowledged write is delivered.
    const undelivered = async () => {
      const rows = await outboxRecords(gms.app);
      return acknowledged.filter(
        (id) =>
          !rows.some(
            (r) =>
              r.aggregate === `service:1:${id}` &&
              r.subject === EventSubjects.gmsServiceStarted &&
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
        const res = await start('C-RESTART');
        statuses.push(res.status);
        if (res.status !== 201) expect(res.headers['retry-after']).toBe('2');
        return res.status === 201;
      },
      5000,
      () => `no write succeeded after the cut: ${statuses.join(', ')}`,
    );
    expect(statuses.length).toBeLessThanOrEqual(3);
    expect((await request(gms.directUrl).get('/health/ready')).status).toBe(200);
  });
});
