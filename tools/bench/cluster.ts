import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformFileSync } from '@swc/core';
import { freePort } from '../../libs/testing/src/lib/ports';
import { waitFor } from '../../libs/testing/src/lib/spawn-app';

const ROOT = join(__dirname, '..', '..');
const MARIADB_URL = process.env.CS_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

export type ProcessName = 'baseline' | 'gateway' | 'gms' | 'ucs';

export interface BenchProcess {
  name: ProcessName;
  url: string;
  pid: number;
  /** `dist` (webpack production bundle) or `source` (SWC from the TypeScript sources). */
  from: 'dist' | 'source';
  output(): string;
  stop(): Promise<void>;
}

export interface Cluster {
  runId: string;
  env: Record<string, string>;
  processes: Partial<Record<ProcessName, BenchProcess>>;
}

/**
 * The command of one process. The apps run from the production bundle (dist/apps/<app>/main.js, what
 * operators run) when it was built, otherwise from source like `npm start`. The baseline is compiled
 * to plain JavaScript first: loading the SWC compiler into it would add ~100 MiB to its RSS.
 */
function command(name: ProcessName): { args: string[]; from: 'dist' | 'source' } {
  if (name === 'baseline') return { args: [compiledBaseline()], from: 'source' };
  const bundle = join(ROOT, 'dist', 'apps', name, 'main.js');
  if (existsSync(bundle)) return { args: [bundle], from: 'dist' };
  return { args: ['-r', '@swc-node/register', join(ROOT, 'apps', name, 'src', 'main.ts')], from: 'source' };
}

function compiledBaseline(): string {
  const { code } = transformFileSync(join(__dirname, 'baseline-server.ts'), {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  const dir = mkdtempSync(join(tmpdir(), 'cs-bench-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'baseline-server.js');
  writeFileSync(file, code);
  return file;
}

// BENCH_CPU_PROF=<dir>: every process writes a V8 CPU profile into <dir>/<name>/ when it stops;
// `npm run bench:profile -- <dir>/<name>` summarises one (tools/bench/profile-summary.ts).
function profilerArgs(name: ProcessName): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${join(dir, name)}`] : [];
}

/** The production image's NODE_OPTIONS (docker/Dockerfile), so that the apps run here as there. */
export function imageNodeOptions(): string | undefined {
  const dockerfile = readFileSync(join(ROOT, 'docker', 'Dockerfile'), 'utf8');
  return /^ENV NODE_OPTIONS=(.+)$/m.exec(dockerfile)?.[1].trim();
}

async function start(name: ProcessName, port: number, env: Record<string, string>): Promise<BenchProcess> {
  const { args, from } = command(name);
  const nodeOptions = name === 'baseline' ? undefined : imageNodeOptions();
  const child: ChildProcess = spawn(process.execPath, [...profilerArgs(name), ...args], {
    cwd: ROOT,
    // NODE_PATH: the compiled baseline lives in a temporary directory but needs the repository's mysql2.
    env: {
      ...process.env,
      SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json'),
      NODE_PATH: join(ROOT, 'node_modules'),
      ...env,
      ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
      const res = await fetch(`${url}/health/live`).catch(() => undefined);
      return res?.status === 200;
    },
    60000,
    () => `${name} did not start:\n${output}`,
  );
  return {
    name,
    url,
    pid: child.pid ?? -1,
    from,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Fresh databases cs_bench_{base,gms,ucs}_<runId> on the local MariaDB, the local NATS with this run's
 * durable suffix, production settings (validation on, durable commits are the server's), LOG_LEVEL=warn.
 * ucs starts in maintenance mode so that the run can define its identification key.
 */
export async function startCluster(runId: string, withApps: boolean): Promise<Cluster> {
  const [baseline, gms, ucs, gateway] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    BASELINE_PORT: String(baseline),
    BASELINE_DATABASE_URL: `${MARIADB_URL}/cs_bench_base_${runId}`,
    GMS_DATABASE_URL: `${MARIADB_URL}/cs_bench_gms_${runId}`,
    UCS_DATABASE_URL: `${MARIADB_URL}/cs_bench_ucs_${runId}`,
    NATS_URL,
    CS_EVENTS_DURABLE_SUFFIX: `-bench-${runId}`,
    CS_EVENTS_START: 'new',
    CS_EVENTS_DURABLE_TTL_MS: '600000',
    CS_INITIAL_MODE: 'maintenance',
    GMS_PORT: String(gms),
    UCS_PORT: String(ucs),
    GATEWAY_PORT: String(gateway),
    GMS_URL: `http://127.0.0.1:${gms}`,
    UCS_URL: `http://127.0.0.1:${ucs}`,
  };
  const cluster: Cluster = { runId, env, processes: {} };
  cluster.processes.baseline = await start('baseline', baseline, env);
  if (withApps) {
    const [g, u] = await Promise.all([start('gms', gms, env), start('ucs', ucs, env)]);
    cluster.processes.gms = g;
    cluster.processes.ucs = u;
    cluster.processes.gateway = await start('gateway', gateway, env);
  }
  return cluster;
}

export async function stopCluster(cluster: Cluster): Promise<void> {
  for (const name of ['gateway', 'gms', 'ucs', 'baseline'] as const) await cluster.processes[name]?.stop();
}

export const databaseUrls = (cluster: Cluster) => [
  cluster.env.BASELINE_DATABASE_URL,
  cluster.env.GMS_DATABASE_URL,
  cluster.env.UCS_DATABASE_URL,
];

/** The pids of the running processes (plus the bench client itself) for the usage sampler. */
export function pidsOf(cluster: Cluster): Record<string, number> {
  const pids: Record<string, number> = { bench: process.pid };
  for (const p of Object.values(cluster.processes)) if (p) pids[p.name] = p.pid;
  return pids;
}
