// Fault test for "nothing acknowledged is lost, nothing applied twice" (ARCHITECTURE §6, decision 0006).
// `npm run fault -- [--seconds 60] [--kills 10] [--mode real|embedded] [--ack-wait 30]`
// Starts gms, ucs and the gateway as processes on fresh MariaDB databases and the local NATS (or, in
// the embedded mode, on fresh SQLite files with the TCP transport), drives
// POST /services/start through the gateway while SIGKILLing gms or ucs at random moments (each restarted
// at once on the same port and database), then checks every acknowledged write: exactly one
// cs.gms.service.started event in CS_EVENTS (embedded: in the gms outbox), exactly one ucs
// interaction row. Exits 1 on any loss or
// duplicate, 2 on a usage or setup error.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The process helpers of @cs/testing, without its jest-only parts (expect-error).
import { dropDatabases } from '../../libs/testing/src/lib/drop-databases';
import { freePort } from '../../libs/testing/src/lib/ports';
import { spawnApp, waitFor, type RunningApp } from '../../libs/testing/src/lib/spawn-app';
import { parseFaultArgs, type FaultOptions } from './args';
import { countStartedEvents, countStartedOutboxRows } from './stream-count';
import { countInteractionRows } from './interaction-count';
import { buildReport, printReport } from './report';

const MARIADB_URL = process.env.CS_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const CLIENTS = 4;
const BASE = '/genesys/1/cs';
const DRAIN_TIMEOUT_MS = 60000;
/** How long the ucs row count may stand still before the check gives up: longer than the ack wait. */
const rowsStableMs = (options: FaultOptions) => options.ackWait * 1000 + 10000;
const ROWS_TIMEOUT_MS = 120000;

type Killable = 'gms' | 'ucs';

interface Acknowledged {
  serviceId: string;
  interactionId: string;
}

interface Cluster {
  env: Record<string, string>;
  ports: Record<'gms' | 'ucs' | 'gateway', number>;
  apps: Partial<Record<'gms' | 'ucs' | 'gateway', RunningApp>>;
  /** Output of every process incarnation, written to the log directory at the end. */
  logs: string[];
}

const log = (line: string) => process.stderr.write(`[fault ${new Date().toISOString()}] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Databases and transport of the run's mode: MariaDB + NATS, or SQLite files + TCP on loopback. */
async function backendEnv(
  options: FaultOptions,
  suffix: string,
  dir: string,
): Promise<Record<string, string>> {
  if (options.mode === 'embedded') {
    const [gmsTcp, ucsTcp] = await Promise.all([freePort(), freePort()]);
    return {
      GMS_DATABASE_URL: `sqlite:${join(dir, 'gms.sqlite')}`,
      UCS_DATABASE_URL: `sqlite:${join(dir, 'ucs.sqlite')}`,
      GMS_TCP_PORT: String(gmsTcp),
      UCS_TCP_PORT: String(ucsTcp),
    };
  }
  return {
    GMS_DATABASE_URL: `${MARIADB_URL}/cs_fault_gms_${suffix}`,
    UCS_DATABASE_URL: `${MARIADB_URL}/cs_fault_ucs_${suffix}`,
    NATS_URL,
    CS_EVENTS_DURABLE_SUFFIX: `-fault-${suffix}`,
    CS_EVENTS_START: 'new',
    CS_EVENTS_DURABLE_TTL_MS: '300000',
    CS_EVENTS_ACK_WAIT_MS: String(options.ackWait * 1000),
  };
}

async function startCluster(options: FaultOptions, suffix: string, dir: string): Promise<Cluster> {
  const [gms, ucs, gateway] = await Promise.all([freePort(), freePort(), freePort()]);
  const env = {
    ...(await backendEnv(options, suffix, dir)),
    GMS_PORT: String(gms),
    UCS_PORT: String(ucs),
    GATEWAY_PORT: String(gateway),
    GMS_URL: `http://127.0.0.1:${gms}`,
    UCS_URL: `http://127.0.0.1:${ucs}`,
  };
  const cluster: Cluster = { env, ports: { gms, ucs, gateway }, apps: {}, logs: [] };
  [cluster.apps.gms, cluster.apps.ucs] = await Promise.all([
    spawnApp('gms', gms, env),
    spawnApp('ucs', ucs, env),
  ]);
  cluster.apps.gateway = await spawnApp('gateway', gateway, env);
  return cluster;
}

/** SIGKILL (no shutdown hook runs), then the same app again on the same port and database. */
async function killAndRestart(cluster: Cluster, name: Killable): Promise<number> {
  const victim = cluster.apps[name];
  if (!victim) throw new Error(`${name} is not running`);
  await victim.stop('SIGKILL');
  cluster.logs.push(`===== ${name} (SIGKILLed) =====\n${victim.output()}`);
  const started = Date.now();
  cluster.apps[name] = await spawnApp(name, cluster.ports[name], cluster.env);
  return Date.now() - started;
}

async function stopCluster(cluster: Cluster): Promise<void> {
  for (const name of ['gateway', 'gms', 'ucs'] as const) {
    const app = cluster.apps[name];
    if (!app) continue;
    await app.stop('SIGTERM');
    cluster.logs.push(`===== ${name} (final) =====\n${app.output()}`);
  }
}

/** One client: POST /services/start in a loop until `until`; records the 2xx answers. */
async function client(
  gatewayUrl: string,
  runId: string,
  clientNo: number,
  until: number,
  acknowledged: Acknowledged[],
  rejected: Map<string, number>,
): Promise<void> {
  for (let n = 0; Date.now() < until; n++) {
    const interactionId = `flt-${runId}-${clientNo}-${n}`;
    try {
      const res = await fetch(`${gatewayUrl}${BASE}/services/start`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ customer_id: `cust-${runId}-${clientNo}`, interaction_id: interactionId }),
        signal: AbortSignal.timeout(15000),
      });
      const text = await res.text();
      if (res.status >= 200 && res.status < 300) {
        const { service_id } = JSON.parse(text) as { service_id: string };
        acknowledged.push({ serviceId: service_id, interactionId });
      } else {
        const code = (JSON.parse(text || '{}') as { code?: string }).code ?? '';
        const key = `${res.status} ${code}`.trim();
        rejected.set(key, (rejected.get(key) ?? 0) + 1);
        await sleep(100);
      }
    } catch (error) {
      const key = `no answer (${error instanceof Error ? error.name : 'error'})`;
      rejected.set(key, (rejected.get(key) ?? 0) + 1);
      await sleep(100);
    }
  }
}

/** Kill moments: random, sorted, at least 1.5 s apart, inside the run (not in its last second). */
function killSchedule(kills: number, seconds: number): number[] {
  const span = Math.max(1000, seconds * 1000 - 1000);
  return Array.from({ length: kills }, () => 500 + Math.random() * span).sort((a, b) => a - b);
}

async function killer(cluster: Cluster, startedAt: number, schedule: number[], restarts: string[]) {
  for (let i = 0; i < schedule.length; i++) {
    const wait = startedAt + schedule[i] - Date.now();
    if (wait > 0) await sleep(wait);
    const name: Killable = i % 2 === 0 ? 'gms' : 'ucs';
    const ms = await killAndRestart(cluster, name);
    restarts.push(
      `${name} killed at +${((Date.now() - ms - startedAt) / 1000).toFixed(1)}s, up again in ${ms} ms`,
    );
    log(restarts[restarts.length - 1]);
  }
}

interface OutboxState {
  unsent: number;
}

/** Polls /health/ready of gms and ucs until both outboxes are empty. */
async function waitOutboxDrained(cluster: Cluster): Promise<Record<string, unknown>> {
  const last: Record<string, unknown> = {};
  await waitFor(
    async () => {
      let drained = true;
      for (const name of ['gms', 'ucs'] as const) {
        const res = await fetch(`${cluster.apps[name]?.url}/health/ready`).catch(() => undefined);
        const body = res ? ((await res.json().catch(() => ({}))) as { outbox?: OutboxState }) : {};
        last[name] = res ? { status: res.status, ...body } : 'no answer';
        if (res?.status !== 200 || !body.outbox || body.outbox.unsent !== 0) drained = false;
      }
      return drained;
    },
    DRAIN_TIMEOUT_MS,
    () => `outbox not drained after ${DRAIN_TIMEOUT_MS} ms: ${JSON.stringify(last)}`,
  );
  return last;
}

async function main(): Promise<number> {
  const options = parseFaultArgs(process.argv.slice(2));
  const runId = randomBytes(4).toString('hex');
  const logDir = mkdtempSync(join(tmpdir(), `cs-fault-${runId}-`));
  log(
    `run ${runId} (${options.mode}): ${options.seconds} s, ${options.kills} kills, ${CLIENTS} clients, logs in ${logDir}`,
  );
  const runStart = new Date(Date.now() - 1000);
  let cluster: Cluster | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      if (cluster) {
        await stopCluster(cluster).catch(() => undefined);
        writeFileSync(join(logDir, 'apps.log'), cluster.logs.join('\n'));
        if (options.mode === 'real') {
          await dropDatabases([cluster.env.GMS_DATABASE_URL, cluster.env.UCS_DATABASE_URL]).catch(
            (error: unknown) => log(`could not drop the databases: ${String(error)}`),
          );
        }
      }
    })());
  const interrupt = () => {
    log('interrupted: stopping the processes and dropping the databases');
    void cleanUp().then(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  try {
    cluster = await startCluster(options, runId, logDir);
    log(
      `up: gateway ${cluster.apps.gateway?.url}, gms ${cluster.apps.gms?.url}, ucs ${cluster.apps.ucs?.url}`,
    );
    const acknowledged: Acknowledged[] = [];
    const rejected = new Map<string, number>();
    const restarts: string[] = [];
    const startedAt = Date.now();
    const until = startedAt + options.seconds * 1000;
    const gatewayUrl = cluster.apps.gateway?.url ?? '';
    await Promise.all([
      ...Array.from({ length: CLIENTS }, (_, i) =>
        client(gatewayUrl, runId, i, until, acknowledged, rejected),
      ),
      killer(cluster, startedAt, killSchedule(options.kills, options.seconds), restarts),
    ]);
    log(`load done: ${acknowledged.length} acknowledged; draining the outboxes`);
    const health = await waitOutboxDrained(cluster);
    log(`outboxes drained: ${JSON.stringify(health)}`);

    const prefix = `flt-${runId}-`;
    const events =
      options.mode === 'real'
        ? await countStartedEvents(NATS_URL, runStart, prefix)
        : await countStartedOutboxRows(cluster.env.GMS_DATABASE_URL, prefix);
    // ucs applies events asynchronously after the relay published them, and an event delivered to a
    // killed ucs comes back only after the consumer's ack wait (--ack-wait): wait until every acknowledged
    // interaction has its row, or the count has not moved for longer than that ack wait.
    const ucsUrl = cluster.env.UCS_DATABASE_URL;
    let rows = await countInteractionRows(ucsUrl, prefix);
    log(`ucs interactions: ${rows.size} of ${acknowledged.length} acknowledged`);
    let stableSince = Date.now();
    const rowsDeadline = Date.now() + ROWS_TIMEOUT_MS;
    while (acknowledged.some((a) => !rows.has(a.interactionId)) && Date.now() < rowsDeadline) {
      await sleep(1000);
      const next = await countInteractionRows(ucsUrl, prefix);
      if (next.size !== rows.size) {
        stableSince = Date.now();
        log(`ucs interactions: ${next.size} of ${acknowledged.length} acknowledged`);
      }
      rows = next;
      if (Date.now() - stableSince > rowsStableMs(options)) break;
    }

    const report = buildReport({
      runId,
      options,
      acknowledged,
      rejected,
      restarts,
      events,
      rows,
      logDir,
    });
    await cleanUp();
    printReport(report);
    return report.ok ? 0 : 1;
  } catch (error) {
    log(`setup or check failed: ${error instanceof Error ? error.message : String(error)}`);
    await cleanUp();
    return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(String(error));
    process.exit(2);
  },
);
