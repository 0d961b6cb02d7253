import { testBackends, waitFor } from '@cs/testing';
import request from 'supertest';
import { startGms, type StartedGms } from './start-gms';

const BASE = '/genesys/1/cs';
const SERVICE_ROUTE = `${BASE}/services/:service_id`;
const TENANT = { ContactCenterId: '101' };

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (enough of the format for these tests). */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

/** The value of the one sample of `name` whose labels include `labels`; undefined when none. */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

/** `GET /metrics` on gms itself, without any tenant or auth header (ops/metrics, issue 7). */
describe.each(testBackends().map((b) => [b.name, b] as const))('gms /metrics (%s)', (_, backend) => {
  let gms: StartedGms;

  beforeAll(async () => {
    gms = await startGms(backend, { CS_OUTBOX_POLL_MS: '100' });
  });

  afterAll(async () => {
    await gms?.close();
  });

  async function scrape(): Promise<{ text: string; samples: Sample[] }> {
    const res = await request(gms.directUrl).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return { text: res.text, samples: parse(res.text) };
  }

  it('serves the process metrics and the outbox and transport gauges with no tenant header', async () => {
    const { samples } = await scrape();
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
      'cs_outbox_backlog',
      'cs_outbox_oldest_unsent_age_seconds',
      'cs_outbox_relay_active',
      'cs_outbox_published_total',
      'cs_outbox_dropped_total',
      'cs_transport_ready',
    ])
      expect({ name, present: samples.some((s) => s.name === name) }).toEqual({ name, present: true });
    expect(value(samples, 'cs_outbox_relay_active')).toBe(1);
    if (backend.name === 'real') {
      expect(value(samples, 'cs_db_pool_connections_max')).toBeGreaterThan(0);
      expect(value(samples, 'cs_db_pool_requests_waiting')).toBe(0);
      expect(value(samples, 'cs_events_consumer_pending')).toBeGreaterThanOrEqual(0);
    } else {
      // SQLite has no pool, the TCP transport no durable consumer: those series are absent.
      expect(samples.some((s) => s.name.startsWith('cs_db_pool_'))).toBe(false);
      expect(samples.some((s) => s.name === 'cs_events_consumer_pending')).toBe(false);
    }
  });

  it('counts requests per route template, method and status, never under a raw id', async () => {
    const started = await request(gms.url)
      .post(`${BASE}/services/start`)
      .set(TENANT)
      .send({ customer_id: 'C-METRICS' });
    expect(started.status).toBe(201);
    const id = (started.body as { service_id: string }).service_id;
    for (let i = 0; i < 2; i++)
      expect((await request(gms.url).get(`${BASE}/services/${id}`).set(TENANT)).status).toBe(200);
    expect((await request(gms.url).get(`${BASE}/services/999999999`).set(TENANT)).status).toBe(400);
    // Sent to gms itself: the gateway answers unknown paths on its own.
    expect((await request(gms.directUrl).get(`${BASE}/no-such-thing/${id}`).set(TENANT)).status).toBe(404);
    // Refused before routing (415): still counted under the route its path matches.
    const refused = await request(gms.url)
      .post(`${BASE}/services/start`)
      .set(TENANT)
      .set('Content-Type', 'text/plain')
      .send('x');
    expect(refused.status).toBe(415);

    const { samples } = await scrape();
    const get = (status: string) => ({ route: SERVICE_ROUTE, method: 'GET', status });
    expect(value(samples, 'http_requests_total', get('200'))).toBe(2);
    expect(value(samples, 'http_requests_total', get('400'))).toBe(1);
    expect(value(samples, 'http_request_duration_seconds_count', get('200'))).toBe(2);
    expect(value(samples, 'http_request_duration_seconds_bucket', { ...get('200'), le: '+Inf' })).toBe(2);
    expect(value(samples, 'http_request_duration_seconds_sum', get('200'))).toBeGreaterThan(0);
    const start = { route: `${BASE}/services/start`, method: 'POST' };
    expect(value(samples, 'http_requests_total', { ...start, status: '201' })).toBe(1);
    expect(value(samples, 'http_requests_total', { ...start, status: '415' })).toBe(1);
    expect(value(samples, 'http_requests_total', { route: 'unmatched', method: 'GET', status: '404' })).toBe(
      1,
    );
    // No label carries a raw id: routes are templates (or `unmatched`).
    const labelValues = samples.flatMap((s) => Object.values(s.labels));
    expect(labelValues.filter((v) => v.includes(id) || v.includes('999999999'))).toEqual([]);
    const routes = new Set(
      samples.filter((s) => s.name === 'http_requests_total').map((s) => s.labels.route),
    );
    expect([...routes].filter((r) => r !== 'unmatched' && !r.startsWith('/'))).toEqual([]);

    // The previous scrape was counted under its own route.
    const again = (await scrape()).samples;
    expect(
      value(again, 'http_requests_total', { route: '/metrics', method: 'GET', status: '200' }),
    ).toBeGreaterThan(0);
  });

  it('reports the outbox: delivered events on NATS, a growing backlog when the peer is unreachable', async () => {
    const res = await request(gms.url)
      .post(`${BASE}/services/start`)
      .set(TENANT)
      .send({ customer_id: 'C-OB' });
    expect(res.status).toBe(201);
    if (backend.name === 'real') {
      await waitFor(
        async () => {
          const { samples } = await scrape();
          return (
            (value(samples, 'cs_outbox_published_total') ?? 0) >= 2 &&
            value(samples, 'cs_outbox_backlog') === 0
          );
        },
        10_000,
        () => 'the outbox was not delivered',
      );
      const { samples } = await scrape();
      expect(value(samples, 'cs_outbox_oldest_unsent_age_seconds')).toBe(0);
    } else {
      // Embedded: no ucs listens on its TCP port, so the events stay in the outbox.
      const { samples } = await scrape();
      expect(value(samples, 'cs_outbox_backlog')).toBeGreaterThanOrEqual(2);
      expect(value(samples, 'cs_outbox_oldest_unsent_age_seconds')).toBeGreaterThan(0);
      expect(value(samples, 'cs_outbox_published_total')).toBe(0);
    }
  });
});
