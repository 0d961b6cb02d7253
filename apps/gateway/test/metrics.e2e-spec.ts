import request from 'supertest';
import { createLogger, loadEnv } from '@cs/platform/core';
import { GatewayEnv } from '../src/config/gateway-env';
import { startGateway, type RunningGateway } from '../src/gateway';
import { FakeUpstream } from './support/fake-upstream';

const BASE = '/genesys/1/cs';

/** The value of the sample `name{...}` whose labels include `labels` (one at most). */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const lines = text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .filter((line) => Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)));
  if (lines.length > 1) throw new Error(`${lines.length} samples of ${name} match`);
  return lines.length ? Number(lines[0].slice(lines[0].lastIndexOf(' ') + 1)) : undefined;
}

/** `GET /metrics` on the gateway (issue 7): process metrics and requests by upstream, method, status. */
describe('gateway /metrics (e2e)', () => {
  const gms = new FakeUpstream('gms');
  const ucs = new FakeUpstream('ucs');
  let gateway: RunningGateway;

  beforeAll(async () => {
    await Promise.all([gms.start(), ucs.start()]);
    gateway = await startGateway(
      loadEnv(GatewayEnv, {
        GATEWAY_PORT: '0',
        GATEWAY_HOST: '127.0.0.1',
        GMS_URL: gms.url,
        UCS_URL: ucs.url,
      }),
      createLogger('gateway', 'silent'),
    );
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([gms.stop(), ucs.stop()]);
  });

  it('counts proxied requests per upstream and the gateway’s own answers as `gateway`', async () => {
    for (let i = 0; i < 3; i++)
      expect((await request(gateway.url).get(`${BASE}/services/S${i}`)).status).toBe(200);
    expect((await request(gateway.url).post(`${BASE}/profiles`).send({ a: 1 })).status).toBe(200);
    expect((await request(gateway.url).get('/no/such/path')).status).toBe(404);
    expect((await request(gateway.url).get('/health/live')).status).toBe(200);
    expect((await request(gateway.url).post('/metrics')).status).toBe(405);

    const res = await request(gateway.url).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    const gmsGet = { upstream: 'gms', method: 'GET', status: '200' };
    expect(sample(text, 'gateway_requests_total', gmsGet)).toBe(3);
    expect(sample(text, 'gateway_request_duration_seconds_count', gmsGet)).toBe(3);
    expect(sample(text, 'gateway_request_duration_seconds_bucket', { ...gmsGet, le: '+Inf' })).toBe(3);
    expect(sample(text, 'gateway_requests_total', { upstream: 'ucs', method: 'POST', status: '200' })).toBe(
      1,
    );
    expect(
      sample(text, 'gateway_requests_total', { upstream: 'gateway', method: 'GET', status: '404' }),
    ).toBe(1);
    expect(
      sample(text, 'gateway_requests_total', { upstream: 'gateway', method: 'GET', status: '200' }),
    ).toBe(1);
    expect(
      sample(text, 'gateway_requests_total', { upstream: 'gateway', method: 'POST', status: '405' }),
    ).toBe(1);
    // No path (hence no id) in any label.
    expect(text).not.toContain('S1');
    expect(text).not.toContain('/no/such/path');
  });
});
