import { testBackends } from '@cs/testing';
import request from 'supertest';
import { startUcs, type StartedUcs } from './start-ucs';

const BASE = '/genesys/1/cs';

/** `name{labels} value` lines of a Prometheus text exposition whose labels include `labels`. */
function values(text: string, name: string, labels: Record<string, string> = {}): number[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
    .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
}

/**
 * `GET /metrics` on ucs (issue 7): served in any server mode (a scrape is not a data request), with
 * no tenant header; requests counted under their route template.
 */
describe.each(testBackends().map((b) => [b.name, b] as const))('ucs /metrics (%s)', (_, backend) => {
  let ucs: StartedUcs;

  beforeAll(async () => {
    ucs = await startUcs(backend, { CS_INITIAL_MODE: 'maintenance' });
  });

  afterAll(async () => {
    await ucs?.close();
  });

  it('answers in maintenance mode and counts the refused data requests under their route template', async () => {
    const refused = await request(ucs.url)
      .get(`${BASE}/profiles/abcdef0123456789`)
      .set('ContactCenterId', '7');
    expect(refused.status).toBe(503);

    const res = await request(ucs.directUrl).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const route = { route: `${BASE}/profiles/:customer_id`, method: 'GET', status: '503' };
    expect(values(res.text, 'http_requests_total', route)).toEqual([1]);
    expect(values(res.text, 'http_request_duration_seconds_count', route)).toEqual([1]);
    expect(res.text).not.toContain('abcdef0123456789');
    for (const name of [
      'process_cpu_seconds_total',
      'cs_outbox_backlog',
      'cs_outbox_oldest_unsent_age_seconds',
    ])
      expect({ name, values: values(res.text, name).length }).toEqual({ name, values: 1 });
    expect(values(res.text, 'cs_events_consumer_pending')).toHaveLength(backend.name === 'real' ? 1 : 0);
  });
});
