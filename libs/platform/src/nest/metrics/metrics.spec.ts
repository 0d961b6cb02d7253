import type { IncomingMessage } from 'node:http';
import { Registry } from 'prom-client';
import type { OutboxRelay, RelayStatus } from '../outbox/outbox-relay';
import { RequestMetrics } from '../../core/request-metrics';
import { routeTemplate, UNMATCHED_ROUTE, type RoutedApp } from './route-template';
import { outboxGauges } from './scrape-gauges';

const lines = (text: string, prefix: string) => text.split('\n').filter((l) => l.startsWith(prefix));

describe('RequestMetrics', () => {
  it('exposes a counter and a cumulative histogram per label combination', async () => {
    const registry = new Registry();
    const metrics = new RequestMetrics(registry, {
      counter: 'x_requests_total',
      histogram: 'x_request_duration_seconds',
      labels: ['route', 'method', 'status'],
      buckets: [0.1, 1],
    });
    metrics.observe('/a/:id', 'GET', 200, 0.05);
    metrics.observe('/a/:id', 'GET', 200, 0.1); // on the bound: le="0.1"
    metrics.observe('/a/:id', 'GET', 200, 3);
    metrics.observe('/a/:id', 'GET', 404, 0.5);

    const text = await registry.metrics();
    expect(lines(text, 'x_requests_total')).toEqual([
      'x_requests_total{route="/a/:id",method="GET",status="200"} 3',
      'x_requests_total{route="/a/:id",method="GET",status="404"} 1',
    ]);
    expect(lines(text, 'x_request_duration_seconds_bucket{route="/a/:id",method="GET",status="200"')).toEqual(
      [
        'x_request_duration_seconds_bucket{route="/a/:id",method="GET",status="200",le="0.1"} 2',
        'x_request_duration_seconds_bucket{route="/a/:id",method="GET",status="200",le="1"} 2',
        'x_request_duration_seconds_bucket{route="/a/:id",method="GET",status="200",le="+Inf"} 3',
      ],
    );
    expect(lines(text, 'x_request_duration_seconds_sum{route="/a/:id",method="GET",status="200"}')).toEqual([
      'x_request_duration_seconds_sum{route="/a/:id",method="GET",status="200"} 3.15',
    ]);
    expect(text).toContain('# TYPE x_request_duration_seconds histogram');
    expect(text).toContain('# TYPE x_requests_total counter');
  });
});

describe('routeTemplate', () => {
  const layer = (path: string, re: RegExp) => ({ route: { path }, match: (p: string) => re.test(p) });
  const app: RoutedApp = {
    router: { stack: [{ match: () => true }, layer('/cs/services/:id', /^\/cs\/services\/[^/]+$/)] },
  };
  const req = (url: string, route?: string) =>
    ({ url, originalUrl: url, route: route ? { path: route } : undefined }) as unknown as IncomingMessage;

  it('is the template of the route that ran', () => {
    expect(routeTemplate(req('/cs/services/42', '/cs/services/:id'), 200, app)).toBe('/cs/services/:id');
    expect(routeTemplate(req('/cs/services/42', '/cs/services/:id'), 404, app)).toBe('/cs/services/:id');
  });

  it('finds the template of a request answered before routing (415, 405), and never returns a raw path', () => {
    expect(routeTemplate(req('/cs/services/42?x=1'), 415, app)).toBe('/cs/services/:id');
    expect(routeTemplate(req('/cs/other/42'), 405, app)).toBe(UNMATCHED_ROUTE);
    expect(routeTemplate(req('/cs/services/42'), 404, app)).toBe(UNMATCHED_ROUTE);
  });
});

describe('outboxGauges', () => {
  it('reads the backlog once per scrape and reports the relay totals', async () => {
    const registry = new Registry();
    let calls = 0;
    const status: RelayStatus = {
      unsent: 4,
      oldestCreatedAt: Date.now() - 30_000,
      relay: 'active',
      failures: 0,
      dropped: 1,
    };
    const relay = {
      status: async () => {
        calls++;
        return status;
      },
      totals: () => ({ published: 7, dropped: 1 }),
    } as unknown as OutboxRelay;
    const source = outboxGauges(registry, relay);
    await source.collect();
    const text = await registry.metrics();
    expect(calls).toBe(1);
    expect(lines(text, 'cs_outbox_backlog ')).toEqual(['cs_outbox_backlog 4']);
    const age = Number(lines(text, 'cs_outbox_oldest_unsent_age_seconds ')[0].split(' ')[1]);
    expect(age).toBeGreaterThanOrEqual(30);
    expect(age).toBeLessThan(40);
    expect(lines(text, 'cs_outbox_relay_active ')).toEqual(['cs_outbox_relay_active 1']);
    expect(lines(text, 'cs_outbox_published_total ')).toEqual(['cs_outbox_published_total 7']);
    expect(lines(text, 'cs_outbox_dropped_total ')).toEqual(['cs_outbox_dropped_total 1']);

    // A failed read leaves the gauges absent rather than stale.
    source.clear();
    expect(lines(await registry.metrics(), 'cs_outbox_backlog ')).toEqual([]);
  });
});
