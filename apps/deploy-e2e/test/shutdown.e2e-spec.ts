import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { dropDatabases, freePort, spawnApp, testBackends, waitFor, type RunningApp } from '@cs/testing';

const BASE = '/genesys/1/cs';
// Short windows keep the test quick; k8s sets 5000 / 15000 (k8s/base).
const DELAY_MS = 1500;
const TIMEOUT_MS = 8000;
const WORKERS = 4;

/**
 * Graceful shutdown as an orchestrator drives it (ARCHITECTURE §1, §3; k8s/README.md): a stream of
 * requests, a "load balancer" that stops sending once `/health/ready` fails, SIGTERM. Nothing the
 * clients sent may fail, readiness must fail before the process exits, liveness must stay up while
 * the app drains, and a request still being uploaded when the listener closes must be answered.
 */
describe.each(testBackends().map((b) => [b.name, b] as const))('graceful shutdown (%s)', (_, backend) => {
  let env: Record<string, string>;
  let gms: RunningApp;
  let ucs: RunningApp;
  let gateway: RunningApp;

  beforeAll(async () => {
    const [gmsPort, ucsPort, gatewayPort, gmsTcp, ucsTcp] = await Promise.all(
      [1, 2, 3, 4, 5].map(() => freePort()),
    );
    env = {
      ...backend.env(),
      GMS_PORT: String(gmsPort),
      UCS_PORT: String(ucsPort),
      GATEWAY_PORT: String(gatewayPort),
      GMS_TCP_PORT: String(gmsTcp),
      UCS_TCP_PORT: String(ucsTcp),
      GMS_URL: `http://127.0.0.1:${gmsPort}`,
      UCS_URL: `http://127.0.0.1:${ucsPort}`,
      CS_SHUTDOWN_DELAY_MS: String(DELAY_MS),
      CS_SHUTDOWN_TIMEOUT_MS: String(TIMEOUT_MS),
    };
    [gms, ucs] = await Promise.all([spawnApp('gms', gmsPort, env), spawnApp('ucs', ucsPort, env)]);
    gateway = await spawnApp('gateway', gatewayPort, env);
    await waitFor(
      async () => (await fetch(`${gateway.url}/health/ready`)).status === 200,
      30000,
      () => [gms.output(), ucs.output(), gateway.output()].join('\n'),
    );
  });

  afterAll(async () => {
    await Promise.all([gateway, gms, ucs].filter(Boolean).map((app) => app.stop('SIGKILL')));
    await dropDatabases([env.GMS_DATABASE_URL, env.UCS_DATABASE_URL]);
  });

  it('gms on SIGTERM: /health/ready 503 while /health/live 200, no request fails, the upload in flight is answered, exit 0', async () => {
    const exited = once(gms.process, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const monitor = watchHealth(gms.url);
    const load = requestStream(gms.url, () => monitor.notReadyAt !== undefined);
    const upload = await startSlowUpload(gms.url, { contact_key: '+33155550999' });

    await waitFor(
      async () => load.stats.ok >= 200,
      20000,
      () => `no traffic: ${JSON.stringify(load.stats)}`,
    );
    const signalledAt = Date.now();
    const okAtSignal = load.stats.ok;
    gms.process.kill('SIGTERM');

    // The listener closes only after the readiness-fail window; then the upload's last bytes arrive.
    await waitFor(
      async () => !(await accepts(gms.url)),
      DELAY_MS + TIMEOUT_MS,
      () => 'listener still open',
    );
    const listenerClosedAt = Date.now();
    const uploadResponse = await upload.finish();

    const [code] = await exited;
    const exitedAt = Date.now();
    monitor.stop();
    await load.done;
    const stats = load.stats;
    const notReadyAt = monitor.notReadyAt ?? NaN;
    console.info(
      `gms shutdown (${backend.name}): ${stats.sent} requests sent, ${stats.failed.length} failed, ` +
        `${stats.ok - okAtSignal} answered after SIGTERM; ready 503 after ${notReadyAt - signalledAt} ms, ` +
        `listener closed after ${listenerClosedAt - signalledAt} ms, exit after ${exitedAt - signalledAt} ms`,
    );

    expect(stats.failed).toEqual([]);
    expect(stats.ok).toBe(stats.sent);
    expect(stats.ok - okAtSignal).toBeGreaterThan(0);
    expect(notReadyAt).toBeGreaterThanOrEqual(signalledAt);
    expect(notReadyAt).toBeLessThan(listenerClosedAt);
    expect(monitor.notReadyBody).toMatchObject({ status: 503, code: 'SHUTTING_DOWN' });
    expect(monitor.liveWhileNotReady).toBeGreaterThan(0);
    expect(monitor.otherLiveStatuses).toEqual([]);
    expect(listenerClosedAt - signalledAt).toBeGreaterThanOrEqual(DELAY_MS);
    expect(isCreated(uploadResponse.status)).toBe(true);
    expect(uploadResponse.headers['connection']).toBe('close');
    expect(JSON.parse(uploadResponse.body)).toEqual({ service_id: expect.any(String) });
    expect(code).toBe(0);
    expect(gms.output()).not.toMatch(/"level":(50|60)/);
  }, 60000);

  it('gateway on SIGTERM: /health/ready 503 while /health/live 200, no proxied request fails, exit 0', async () => {
    const exited = once(gateway.process, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const monitor = watchHealth(gateway.url, shuttingDown);
    const load = requestStream(gateway.url, () => monitor.notReadyAt !== undefined, profileCall);
    await waitFor(
      async () => load.stats.ok >= 200,
      20000,
      () => `no traffic: ${JSON.stringify(load.stats)}`,
    );
    const signalledAt = Date.now();
    gateway.process.kill('SIGTERM');
    const [code] = await exited;
    monitor.stop();
    await load.done;
    console.info(
      `gateway shutdown (${backend.name}): ${load.stats.sent} requests sent, ${load.stats.failed.length} failed; ` +
        `ready 503 after ${(monitor.notReadyAt ?? NaN) - signalledAt} ms, exit after ${Date.now() - signalledAt} ms`,
    );
    expect(load.stats.failed).toEqual([]);
    expect(monitor.notReadyBody).toMatchObject({ status: 503, code: 'SHUTTING_DOWN' });
    expect(monitor.liveWhileNotReady).toBeGreaterThan(0);
    expect(code).toBe(0);
  }, 60000);
});

type Call = (url: string, n: number) => Promise<string | undefined>;

/** One client call: a service started then read back (two requests); returns what went wrong. */
const serviceCall: Call = async (url, n) => {
  const started = await fetch(`${url}${BASE}/services/start`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ contact_key: `+3315555${String(n).padStart(4, '0')}` }),
  });
  const body = (await started.json()) as { service_id?: string };
  if (!isCreated(started.status) || !body.service_id)
    return `start ${started.status} ${JSON.stringify(body)}`;
  const read = await fetch(`${url}${BASE}/services/${body.service_id}`);
  await read.arrayBuffer();
  return read.status === 200 ? undefined : `get ${read.status}`;
};

/** Through the gateway to ucs (gms is gone by then): a profile created. */
const profileCall: Call = async (url, n) => {
  const created = await fetch(`${url}${BASE}/profiles`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ FirstName: `Shutdown${n}` }),
  });
  await created.arrayBuffer();
  return isCreated(created.status) ? undefined : `profile ${created.status}`;
};

const isCreated = (status: number) => status === 200 || status === 201;

/** WORKERS clients calling in a loop until `stopSending()` (the load balancer saw readiness fail). */
function requestStream(url: string, stopSending: () => boolean, call: Call = serviceCall) {
  const stats = { sent: 0, ok: 0, failed: [] as string[] };
  const requestsPerCall = call === serviceCall ? 2 : 1;
  let n = 0;
  const worker = async () => {
    while (!stopSending() && stats.sent < 5000) {
      stats.sent += requestsPerCall;
      try {
        const problem = await call(url, n++);
        if (problem) stats.failed.push(problem);
        if (stats.failed.length >= 20)
          return; // enough to see what is wrong
        else stats.ok += requestsPerCall;
      } catch (error) {
        stats.failed.push(String((error as Error).cause ?? error));
        if (stats.failed.length >= 20) return;
      }
    }
  };
  return { stats, done: Promise.all(Array.from({ length: WORKERS }, worker)) };
}

/** The gateway's readiness also fails when an upstream is down; only its own shutdown counts here. */
const shuttingDown = (status: number, body: unknown) =>
  status === 503 && (body as { code?: string }).code === 'SHUTTING_DOWN';

/** Polls readiness and liveness every 50 ms, as a kubelet or load balancer would. */
function watchHealth(url: string, isNotReady: (status: number, body: unknown) => boolean = (s) => s !== 200) {
  const state = {
    notReadyAt: undefined as number | undefined,
    notReadyBody: undefined as unknown,
    liveWhileNotReady: 0,
    otherLiveStatuses: [] as number[],
    stop: () => clearInterval(timer),
  };
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const [ready, live] = await Promise.all([fetch(`${url}/health/ready`), fetch(`${url}/health/live`)]);
      const readyBody = await ready.json();
      await live.arrayBuffer();
      if (live.status !== 200) state.otherLiveStatuses.push(live.status);
      if (isNotReady(ready.status, readyBody) && state.notReadyAt === undefined) {
        state.notReadyAt = Date.now();
        state.notReadyBody = readyBody;
      }
      if (state.notReadyAt !== undefined && live.status === 200) state.liveWhileNotReady += 1;
    } catch {
      // The listener has closed: nothing to poll any more.
    } finally {
      busy = false;
    }
  }, 50);
  return state;
}

async function accepts(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  try {
    await once(socket, 'connect');
    return true;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A start request whose body is only half sent: in flight until `finish()` sends the rest. */
async function startSlowUpload(url: string, body: object): Promise<{ finish(): Promise<RawResponse> }> {
  const { hostname, port } = new URL(url);
  const socket: Socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  const text = JSON.stringify(body);
  socket.write(
    `POST ${BASE}/services/start HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text.slice(0, 5)}`,
  );
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  const ended = once(socket, 'close');
  return {
    async finish() {
      socket.write(text.slice(5));
      await ended;
      const [head, ...rest] = received.split('\r\n\r\n');
      const [statusLine, ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((line) => {
          const at = line.indexOf(':');
          return [line.slice(0, at).toLowerCase(), line.slice(at + 1).trim()];
        }),
      );
      return {
        status: Number(statusLine.split(' ')[1]),
        headers,
        body: decodeBody(rest.join('\r\n\r\n'), headers),
      };
    },
  };
}

function decodeBody(raw: string, headers: Record<string, string>): string {
  if (headers['transfer-encoding'] !== 'chunked') return raw;
  let body = '';
  let rest = raw;
  for (;;) {
    const at = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, at), 16);
    if (!size) return body;
    body += rest.slice(at + 2, at + 2 + size);
    rest = rest.slice(at + 2 + size + 2);
  }
}
