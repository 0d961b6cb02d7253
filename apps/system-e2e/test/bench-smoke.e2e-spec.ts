import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/** The closed-loop runs of one round with every scenario (tools/bench/run.ts). */
const RUNS = [
  'baseline write',
  'write via gateway',
  'write direct gms',
  'baseline read',
  'read service via gateway',
  'read profile via gateway',
  'identify via gateway',
];

/** The parts of tools/bench/results/<timestamp>.json this test reads. */
interface BenchResult {
  meta: { date: string; smoke: boolean };
  runs: {
    name: string;
    round: number;
    requests: number;
    ok: number;
    check: { ok: boolean; detail: string };
  }[];
  mix: {
    round: number;
    steps: { requests: number; ok: number }[];
    check: { ok: boolean; detail: string };
  }[];
}

let child: ChildProcess | undefined;

/** Runs `npm run bench` (tools/bench/run.ts) as a user would; its exit code and output. */
function runBench(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const bench = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(ROOT, 'tools/bench/run.ts'), ...args],
      {
        cwd: ROOT,
        env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = bench;
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20000));
    bench.stdout.on('data', keep);
    bench.stderr.on('data', keep);
    bench.on('exit', (code) => resolve({ code, output }));
  });
}

/**
 * The CI-sized smoke version of the benchmark harness (issue 8): every scenario once with the
 * smallest sizes, results into a temporary directory. It checks that the harness still runs and that
 * its correctness checks pass (rows = 2xx answers, events = rows); it asserts no timings. Like the
 * harness it needs the local MariaDB and NATS (CS_TEST_MYSQL_URL, NATS_URL), whatever CS_TEST_BACKENDS
 * says. The measuring run is `npm run bench` (tools/bench/README.md).
 */
describe('benchmark harness, smoke', () => {
  let out: string;

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'cs-bench-smoke-'));
  });

  afterAll(async () => {
    // A test that timed out leaves the harness running: SIGTERM makes it stop its processes and drop
    // its databases before it exits.
    const running = child;
    if (running && running.exitCode === null && running.signalCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => running.kill('SIGKILL'), 30_000);
        running.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        running.kill('SIGTERM');
      });
    }
    rmSync(out, { recursive: true, force: true });
  });

  it('runs every scenario, passes its checks and writes JSON and RESULTS.md only into --out', async () => {
    const started = Date.now();
    const { code, output } = await runBench([
      '--quick',
      '--scenario',
      'all',
      '--duration',
      '1',
      '--profiles',
      '100',
      '--services',
      '50',
      '--mix-max-steps',
      '2',
      '--connections',
      '4',
      '--out',
      out,
    ]);
    if (code !== 0) throw new Error(`bench exited with ${code}:\n${output.slice(-6000)}`);
    console.info(`bench smoke run: ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const files = readdirSync(out);
    const json = files.filter((f) => f.endsWith('.json'));
    expect(json).toHaveLength(1);
    expect(files).toContain('RESULTS.md');
    const result = JSON.parse(readFileSync(join(out, json[0]), 'utf8')) as BenchResult;
    expect(result.meta.smoke).toBe(true);

    for (const name of RUNS) {
      const records = result.runs.filter((r) => r.name === name);
      expect({ name, rounds: records.length }).toEqual({ name, rounds: 1 });
      const [record] = records;
      expect({ name, check: record.check.ok, detail: record.check.detail }).toMatchObject({
        name,
        check: true,
      });
      expect(record.requests).toBeGreaterThan(0);
      expect(record.ok).toBeGreaterThan(0);
    }
    expect(result.runs.map((r) => r.name).sort()).toEqual([...RUNS].sort());

    expect(result.mix).toHaveLength(1);
    const [mix] = result.mix;
    expect(mix.check).toMatchObject({ ok: true });
    expect(mix.steps.length).toBeGreaterThanOrEqual(1);
    expect(mix.steps[0].requests).toBeGreaterThan(0);
    expect(mix.steps[0].ok).toBeGreaterThan(0);

    const markdown = readFileSync(join(out, 'RESULTS.md'), 'utf8');
    // A table row per run (prettier pads the cells).
    for (const name of RUNS) expect(markdown).toMatch(new RegExp(`^\\| ${name} +\\|`, 'm'));
    expect(markdown).toContain('## Conversation mix');
    expect(markdown).toContain(`- ${result.meta.date} `);

    // The repository's results are left alone (other runs may write there meanwhile: look for this one).
    expect(existsSync(join(ROOT, 'tools/bench/results', json[0]))).toBe(false);
    expect(readFileSync(join(ROOT, 'tools/bench/RESULTS.md'), 'utf8')).not.toContain(result.meta.date);
  }, 300_000);
});
