// Benchmark harness (issue 8): `npm run bench -- [--scenario all|baseline|write|read|identify|mix]
// [--duration 10] [--connections 32] [--rounds 3] [--out <dir>] [--quick]`. Starts the baseline server, gms, ucs and
// the gateway as processes on fresh MariaDB databases and the local NATS, runs the scenarios
// interleaved with the baseline for each round, checks after each run that rows = 2xx answers and
// events = rows, and writes tools/bench/results/<timestamp>.json and tools/bench/RESULTS.md (with
// `--out <dir>`: both into <dir>, the repository's files untouched).
// README.md next to this file describes the method.
import 'reflect-metadata';
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import * as prettier from 'prettier';
import { parseBenchArgs, type BenchOptions } from './args';
import { compare, countEvents, count, waitOutboxesDrained, type Check } from './checks';
import { closedLoop, type LoadResult, type LoadTarget } from './closed-loop';
import {
  databaseUrls,
  imageNodeOptions,
  NATS_URL,
  pidsOf,
  startCluster,
  stopCluster,
  type Cluster,
} from './cluster';
import { mixStep, REQUESTS_PER_CONVERSATION, type MixStep } from './mix';
import { startUsage } from './procstat';
import {
  historyLine,
  readAnalysis,
  readHistory,
  renderMarkdown,
  summariseMix,
  summariseRuns,
  type Meta,
  type MixRound,
  type RunRecord,
} from './report';
import { KEY, emailOf, loadProfiles, startServices, verifyIdentify } from './seed';
import { expectStatus } from './http';

const BASE = '/genesys/1/cs';
const HERE = __dirname;
const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString()}] ${line}\n`);

interface Context {
  options: BenchOptions;
  cluster: Cluster;
  runId: string;
  serviceIds: string[];
  baselineIds: string[];
  profileIds: string[];
}

const url = (ctx: Context, name: 'baseline' | 'gateway' | 'gms' | 'ucs') => {
  const p = ctx.cluster.processes[name];
  if (!p) throw new Error(`${name} is not running`);
  return p.url;
};

const cycle = (values: string[], render: (value: string) => string) => {
  let i = 0;
  return () => render(values[i++ % values.length]);
};

/** A write run's check: every 2xx has its row (plus the writes cut in flight), and one event per row. */
async function writeCheck(
  ctx: Context,
  result: LoadResult,
  customerId: string,
  from: Date,
  events: boolean,
): Promise<Check> {
  const database = events ? ctx.cluster.env.GMS_DATABASE_URL : ctx.cluster.env.BASELINE_DATABASE_URL;
  const rows = await count(database, 'SELECT COUNT(*) AS n FROM services WHERE customer_id = ?', [
    customerId,
  ]);
  const parts = [
    `rows ${rows} vs 2xx ${result.ok}${result.inFlight ? ` (+≤${result.inFlight} cut in flight)` : ''}`,
  ];
  let ok = rows >= result.ok && rows <= result.ok + result.inFlight;
  if (events) {
    const counted = await countEvents(
      NATS_URL,
      from,
      'cs.gms.service.started',
      `"customer_id":"${customerId}"`,
    );
    const started = counted['cs.gms.service.started'] ?? 0;
    parts.push(`service.started events ${started} vs rows ${rows}`);
    ok &&= started === rows;
  }
  return { ok, detail: parts.join('; ') };
}

/** One closed-loop run with process usage; `after` (the check) runs before the usage is read, see README. */
async function measured(
  ctx: Context,
  round: number,
  name: string,
  baseline: string | undefined,
  target: LoadTarget,
  after: (result: LoadResult, from: Date) => Promise<Check>,
): Promise<RunRecord> {
  const from = new Date(Date.now() - 1000);
  const usage = startUsage(pidsOf(ctx.cluster));
  const result = await closedLoop(target, ctx.options.connections, ctx.options.duration);
  const check = await after(result, from);
  const record: RunRecord = { ...result, round, name, baseline, usage: usage.stop(), check };
  log(
    `round ${round} ${name}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} p99 ${result.p99} ms, errors ${result.errors}; check ${check.ok ? 'pass' : 'FAIL'} (${check.detail})`,
  );
  return record;
}

const drained = (ctx: Context) => waitOutboxesDrained([url(ctx, 'gms'), url(ctx, 'ucs')]);
const readOnly = async (result: LoadResult): Promise<Check> => ({
  ok: result.errors === 0,
  detail: `read-only (nothing written); errors ${result.errors}`,
});

async function closedLoopRound(ctx: Context, round: number): Promise<RunRecord[]> {
  const { scenarios } = ctx.options;
  const has = (s: string) => scenarios.includes(s as never);
  const runs: RunRecord[] = [];
  const tag = (what: string) => `${ctx.runId}-r${round}-${what}`;
  if (has('baseline') || has('write')) {
    const customer = tag('bw');
    const body = JSON.stringify({ customer_id: customer });
    runs.push(
      await measured(
        ctx,
        round,
        'baseline write',
        undefined,
        { url: url(ctx, 'baseline'), method: 'POST', path: '/services/start', body },
        (r, from) => writeCheck(ctx, r, customer, from, false),
      ),
    );
  }
  if (has('write')) {
    for (const [name, via] of [
      ['write via gateway', 'gateway'],
      ['write direct gms', 'gms'],
    ] as const) {
      const customer = tag(via === 'gateway' ? 'ww' : 'wd');
      const body = JSON.stringify({ customer_id: customer });
      runs.push(
        await measured(
          ctx,
          round,
          name,
          'baseline write',
          { url: url(ctx, via), method: 'POST', path: `${BASE}/services/start`, body },
          async (r, from) => {
            await drained(ctx);
            return writeCheck(ctx, r, customer, from, true);
          },
        ),
      );
    }
  }
  if (has('baseline') || has('read') || has('identify')) {
    const path = cycle(ctx.baselineIds, (id) => `/services/${encodeURIComponent(id)}`);
    runs.push(
      await measured(
        ctx,
        round,
        'baseline read',
        undefined,
        { url: url(ctx, 'baseline'), method: 'GET', path },
        readOnly,
      ),
    );
  }
  if (has('read')) {
    const services = cycle(ctx.serviceIds, (id) => `${BASE}/services/${encodeURIComponent(id)}`);
    runs.push(
      await measured(
        ctx,
        round,
        'read service via gateway',
        'baseline read',
        { url: url(ctx, 'gateway'), method: 'GET', path: services },
        readOnly,
      ),
    );
    const profiles = cycle(ctx.profileIds, (id) => `${BASE}/profiles/${encodeURIComponent(id)}`);
    runs.push(
      await measured(
        ctx,
        round,
        'read profile via gateway',
        'baseline read',
        { url: url(ctx, 'gateway'), method: 'GET', path: profiles },
        readOnly,
      ),
    );
  }
  if (has('identify')) {
    const indexes = ctx.profileIds.map((_, i) => String(i));
    const identify = cycle(
      indexes,
      (i) => `${BASE}/profiles?EmailAddress=${encodeURIComponent(emailOf(ctx.runId, Number(i)))}`,
    );
    runs.push(
      await measured(
        ctx,
        round,
        'identify via gateway',
        'baseline read',
        { url: url(ctx, 'gateway'), method: 'GET', path: identify },
        readOnly,
      ),
    );
  }
  return runs;
}

/** The mix check: rows of services, states and tasks = 2xx of their creating requests; events = rows. */
async function mixCheck(ctx: Context, tag: string, steps: MixStep[], from: Date): Promise<Check> {
  const ok = (kind: keyof MixStep['okByKind']) => steps.reduce((n, s) => n + (s.okByKind[kind] ?? 0), 0);
  const db = ctx.cluster.env.GMS_DATABASE_URL;
  const like = [`${tag}%`];
  const join = (table: string, extra = '') =>
    count(
      db,
      `SELECT COUNT(*) AS n FROM ${table} x JOIN services s ON s.tenant = x.tenant AND s.service_id = x.service_id WHERE s.customer_id LIKE ?${extra}`,
      like,
    );
  const services = await count(db, 'SELECT COUNT(*) AS n FROM services WHERE customer_id LIKE ?', like);
  const states = await join('states');
  const statesDone = await join('states', ' AND x.completed_at IS NOT NULL');
  const tasks = await join('tasks');
  const tasksDone = await join('tasks', ' AND x.completed_at IS NOT NULL');
  await drained(ctx);
  const events = await countEvents(NATS_URL, from, 'cs.gms.>', `"customer_id":"${tag}`);
  const ev = (subject: string) => events[`cs.gms.${subject}`] ?? 0;
  const pairs: [string, number, number][] = [
    ['service rows/2xx', services, ok('service.start')],
    ['state rows/2xx', states, ok('state.start') + ok('state.transition')],
    ['completed states/2xx', statesDone, ok('state.transition') + ok('state.end')],
    ['task rows/2xx', tasks, ok('task.start')],
    ['completed tasks/2xx', tasksDone, ok('task.end')],
    ['service.started/rows', ev('service.started'), services],
    ['state.started+transitioned/rows', ev('state.started') + ev('state.transitioned'), states],
    [
      'state.transitioned+completed/completed rows',
      ev('state.transitioned') + ev('state.completed'),
      statesDone,
    ],
    ['task.started/rows', ev('task.started'), tasks],
    ['task.completed/completed rows', ev('task.completed'), tasksDone],
  ];
  return compare(pairs);
}

/** One round of the mix: steps of rising arrival rate until one fails (p99 over the limit or errors). */
async function mixRound(ctx: Context, round: number): Promise<MixRound & { usage: Record<string, unknown> }> {
  const { options } = ctx;
  const tag = `${ctx.runId}-r${round}-mix-`;
  const from = new Date(Date.now() - 1000);
  const usage = startUsage(pidsOf(ctx.cluster));
  const steps: MixStep[] = [];
  let rate = options.mixStart;
  for (let s = 0; s < options.mixMaxSteps; s++) {
    const step = await mixStep(url(ctx, 'gateway'), `${tag}s${s}-`, rate, options.duration, options.mixP99);
    steps.push(step);
    log(
      `round ${round} mix ${rate.toFixed(1)} conv/s (${step.offeredRps.toFixed(0)} req/s): p50 ${step.p50.toFixed(0)} p99 ${step.p99.toFixed(0)} ms, errors ${step.errors}${step.errors ? ` ${JSON.stringify(step.errorKinds)}` : ''}, lag p99 ${step.schedulerLagP99.toFixed(0)} ms: ${step.pass ? 'pass' : 'fail'}`,
    );
    if (!step.pass) break;
    rate = Math.round(rate * options.mixFactor * 10) / 10;
  }
  const check = await mixCheck(ctx, tag, steps, from);
  const used = usage.stop();
  const ok = steps.reduce((n, s) => n + s.ok, 0);
  log(`round ${round} mix check ${check.ok ? 'pass' : 'FAIL'}: ${check.detail}`);
  return {
    round,
    steps,
    check,
    usage: Object.fromEntries(
      Object.entries(used).map(([p, u]) => [p, { ...u, cpuMsPerRequest: u.cpuMs / Math.max(1, ok) }]),
    ),
  };
}

async function seed(ctx: Context): Promise<void> {
  const { scenarios, services, profiles } = ctx.options;
  const has = (s: string) => scenarios.includes(s as never);
  if (has('baseline') || has('read') || has('identify')) {
    ctx.baselineIds = await startServices(url(ctx, 'baseline'), '', `${ctx.runId}-seed`, services);
  }
  if (!ctx.cluster.processes.ucs) return;
  if (has('read') || has('identify')) {
    ctx.profileIds = await loadProfiles(url(ctx, 'ucs'), ctx.runId, profiles);
    await verifyIdentify(url(ctx, 'gateway'), ctx.runId, ctx.profileIds);
  } else {
    await expectStatus(201, 'POST', `${url(ctx, 'ucs')}${BASE}/metadata/identification-keys`, KEY);
    await expectStatus(200, 'POST', `${url(ctx, 'ucs')}${BASE}/server/mode`, { mode: 'production' });
  }
  if (has('read'))
    ctx.serviceIds = await startServices(url(ctx, 'gateway'), BASE, `${ctx.runId}-seed`, services);
  await drained(ctx);
  log(
    `seeded: ${ctx.baselineIds.length} baseline services, ${ctx.serviceIds.length} services, ${ctx.profileIds.length} profiles`,
  );
}

/** HEAD, marked `+dirty` when the app or library sources differ from it (what was measured is not HEAD). */
function commitOf(): string {
  const root = join(HERE, '..', '..');
  const head = execSync('git rev-parse --short HEAD', { cwd: root }).toString().trim();
  const dirty = execSync('git status --porcelain -- apps libs', { cwd: root }).toString().trim();
  return dirty ? `${head}+dirty` : head;
}

async function dropDatabases(urls: string[]): Promise<void> {
  for (const databaseUrl of urls) {
    const target = new URL(databaseUrl);
    const connection = await createConnection({
      uri: `${target.protocol}//${target.username}@${target.host}`,
    });
    await connection.query(`DROP DATABASE IF EXISTS \`${target.pathname.slice(1)}\``);
    await connection.end();
  }
}

/** Written through prettier with the repository's settings, so that `npm run format:check` stays green. */
async function writePretty(file: string, text: string): Promise<void> {
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(text, { ...options, filepath: file }));
}

/**
 * results/<timestamp>.json and RESULTS.md (its history plus this run's line), both next to this file,
 * or both into `out` when given: then the repository's files are only read (the history), not written.
 */
async function writeResults(
  meta: Meta,
  runs: RunRecord[],
  mix: (MixRound & { usage: Record<string, unknown> })[],
  out: string | undefined,
): Promise<void> {
  const rows = summariseRuns(runs);
  const mixSummary = mix.length ? summariseMix(mix) : undefined;
  const dir = out ?? join(HERE, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${meta.date.replace(/[:.]/g, '-')}.json`);
  await writePretty(file, JSON.stringify({ meta, summary: rows, mixSummary, runs, mix }, null, 2));
  const repositoryMd = join(HERE, 'RESULTS.md');
  const previous = existsSync(repositoryMd) ? readFileSync(repositoryMd, 'utf8') : '';
  const history = readHistory(previous);
  history.push(historyLine(meta, rows, mixSummary));
  const resultsMd = out ? join(out, 'RESULTS.md') : repositoryMd;
  await writePretty(resultsMd, renderMarkdown(meta, rows, mix, mixSummary, history, readAnalysis(previous)));
  log(`results: ${file} and ${resultsMd}`);
}

async function main(): Promise<number> {
  const options = parseBenchArgs(process.argv.slice(2));
  const runId = randomBytes(3).toString('hex');
  const needApps = options.scenarios.some((s) => s !== 'baseline');
  log(`run ${runId}: ${JSON.stringify(options)}`);
  const cluster = await startCluster(runId, needApps);
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      await stopCluster(cluster).catch(() => undefined);
      await dropDatabases(databaseUrls(cluster)).catch((error: unknown) =>
        log(`could not drop the databases: ${String(error)}`),
      );
    })());
  const interrupt = () => void cleanUp().then(() => process.exit(130));
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    const from = [...new Set(Object.values(cluster.processes).map((p) => `${p?.name} from ${p?.from}`))].join(
      ', ',
    );
    log(`up: ${from}`);
    const ctx: Context = { options, cluster, runId, serviceIds: [], baselineIds: [], profileIds: [] };
    await seed(ctx);
    const runs: RunRecord[] = [];
    const mix: (MixRound & { usage: Record<string, unknown> })[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      runs.push(...(await closedLoopRound(ctx, round)));
      if (options.scenarios.includes('mix')) mix.push(await mixRound(ctx, round));
    }
    const meta: Meta = {
      date: new Date().toISOString(),
      commit: commitOf(),
      cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`,
      apps: `${from}; MariaDB + NATS JetStream, LOG_LEVEL=warn, NODE_ENV=production, NODE_OPTIONS=${imageNodeOptions() ?? '(none)'}`,
      smoke: options.quick,
      options: {
        scenarios: options.scenarios.join(','),
        rounds: options.rounds,
        duration: `${options.duration} s`,
        connections: options.connections,
        profiles: options.profiles,
        services: options.services,
        mixP99: options.mixP99,
        requestsPerConversation: REQUESTS_PER_CONVERSATION,
      },
      note: process.env.BENCH_NOTE,
    };
    await writeResults(meta, runs, mix, options.out);
    const failed = runs.some((r) => !r.check.ok) || mix.some((m) => !m.check.ok);
    await cleanUp();
    return failed ? 1 : 0;
  } catch (error) {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    for (const p of Object.values(cluster.processes))
      if (p) log(`--- ${p.name} output (tail) ---\n${p.output().slice(-3000)}`);
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
