const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<AutocannonResult>;

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  requests: { average: number; total: number; sent: number };
  latency: { p50: number; p90: number; p99: number; max: number };
}

export interface LoadTarget {
  url: string;
  method: 'GET' | 'POST';
  /** A fixed path, or one per request (e.g. cycling through seeded ids). */
  path: string | (() => string);
  body?: string;
}

export interface LoadResult {
  /** 2xx answers per second over the run. */
  rps: number;
  requests: number;
  ok: number;
  /** Non-2xx answers, network errors and timeouts. */
  errors: number;
  /** Requests sent but not answered when the run stopped (their writes may still have committed). */
  inFlight: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  seconds: number;
}

/**
 * A closed-loop run with autocannon: `connections` keep-alive connections, each sending its next request
 * when the previous answer arrived, for `seconds`. This measures the highest throughput at that
 * concurrency; its latencies are service times under saturation (no coordinated-omission correction
 * applies without a target rate).
 */
export async function closedLoop(
  target: LoadTarget,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const path = target.path;
  const result = await autocannon({
    url: target.url,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: target.method,
        headers: target.body ? { 'content-type': 'application/json' } : {},
        body: target.body,
        ...(typeof path === 'function'
          ? { setupRequest: (req: Record<string, unknown>) => ({ ...req, path: path() }) }
          : { path }),
      },
    ],
  });
  const ok = result['2xx'];
  return {
    rps: ok / result.duration,
    requests: result.requests.total,
    ok,
    // autocannon counts a timeout in `errors` as well as in `timeouts`.
    errors: result.errors + result.non2xx,
    inFlight: Math.max(0, result.requests.sent - ok - result.non2xx - result.errors),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    seconds: result.duration,
  };
}
