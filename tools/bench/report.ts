import type { Check } from './checks';
import type { LoadResult } from './closed-loop';
import type { MixStep } from './mix';
import type { ProcessUsage } from './procstat';
import { median } from './stats';

/** One closed-loop run of one round. */
export interface RunRecord extends LoadResult {
  round: number;
  /** e.g. `write via gateway`; rounds of the same name are aggregated. */
  name: string;
  /** The baseline run this one is compared with (`baseline write` / `baseline read`), if any. */
  baseline?: string;
  usage: Record<string, ProcessUsage>;
  check: Check;
}

export interface MixRound {
  round: number;
  steps: MixStep[];
  check: Check;
  /** Process usage over the whole round (every step), CPU per 2xx answer. */
  usage?: Record<string, ProcessUsage & { cpuMsPerRequest: number }>;
}

export interface SummaryRow {
  name: string;
  rounds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  errors: number;
  ratio: number;
  /** Median CPU ms per 2xx answer, per process. */
  cpuMsPerRequest: Record<string, number>;
  /** Highest sampled VmRSS over the rounds, per process, MiB. */
  peakRssMiB: Record<string, number>;
  checksPassed: boolean;
}

export interface MixSummary {
  rounds: number;
  /** Median over rounds of the highest passing step (NaN when no step passed). */
  conversationsPerSecond: number;
  requestsPerSecond: number;
  checksPassed: boolean;
}

export interface Meta {
  date: string;
  commit: string;
  cpus: string;
  apps: string;
  smoke: boolean;
  options: Record<string, unknown>;
  note?: string;
}

const PROCESSES = ['gateway', 'gms', 'ucs', 'baseline', 'bench'];

/** Medians per run name over the rounds, and the ratio of each to its baseline's median. */
export function summariseRuns(runs: RunRecord[]): SummaryRow[] {
  const names = [...new Set(runs.map((r) => r.name))];
  const rows = names.map((name) => {
    const of = runs.filter((r) => r.name === name);
    const cpu: Record<string, number> = {};
    const rss: Record<string, number> = {};
    for (const p of PROCESSES) {
      if (!of.some((r) => r.usage[p])) continue;
      cpu[p] = median(of.map((r) => (r.usage[p] && r.ok ? r.usage[p].cpuMs / r.ok : NaN)));
      rss[p] = Math.max(...of.map((r) => r.usage[p]?.peakRssMiB ?? 0));
    }
    return {
      name,
      rounds: of.length,
      rps: median(of.map((r) => r.rps)),
      p50: median(of.map((r) => r.p50)),
      p90: median(of.map((r) => r.p90)),
      p99: median(of.map((r) => r.p99)),
      errors: median(of.map((r) => r.errors)),
      ratio: NaN,
      cpuMsPerRequest: cpu,
      peakRssMiB: rss,
      checksPassed: of.every((r) => r.check.ok),
      baseline: of[0].baseline,
    };
  });
  for (const row of rows) {
    const base = rows.find((r) => r.name === row.baseline);
    row.ratio = base ? row.rps / base.rps : NaN;
  }
  return rows.map(({ baseline: _baseline, ...row }) => row);
}

/** The highest passing step of each round; medians over the rounds. */
export function summariseMix(rounds: MixRound[]): MixSummary {
  const best = rounds.map((r) => [...r.steps].reverse().find((s) => s.pass));
  return {
    rounds: rounds.length,
    conversationsPerSecond: median(best.map((s) => s?.conversationsPerSecond ?? NaN)),
    requestsPerSecond: median(best.map((s) => s?.offeredRps ?? NaN)),
    checksPassed: rounds.every((r) => r.check.ok),
  };
}

const mapValues = <T>(record: Record<string, T>, f: (value: T) => number) =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const perProcess = (values: Record<string, number>, digits: number) =>
  PROCESSES.filter((p) => p in values)
    .map((p) => `${p} ${fmt(values[p], digits)}`)
    .join(', ');

/** RESULTS.md: the latest run as tables, then the history lines (oldest first). */
export function renderMarkdown(
  meta: Meta,
  rows: SummaryRow[],
  mix: MixRound[],
  mixSummary: MixSummary | undefined,
  history: string[],
  analysis?: string,
): string {
  const out: string[] = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (tools/bench/README.md explains the scenarios and the method). The tables',
    'show the latest run; the history at the bottom keeps one line per run.',
    '',
    `- date: ${meta.date}, commit ${meta.commit}`,
    `- machine: ${meta.cpus}`,
    `- apps: ${meta.apps}`,
    `- options: ${Object.entries(meta.options)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(', ')}`,
  ];
  if (meta.smoke) {
    out.push(
      '- **smoke run** (`--quick`): short runs and small data on a shared machine under other load; the',
      '  numbers prove that the harness works, they do not measure the system.',
    );
  }
  if (meta.note) out.push(`- note: ${meta.note}`);
  if (rows.length) {
    out.push(
      '',
      '## Closed-loop runs (medians over the rounds)',
      '',
      '| run | req/s | p50 ms | p90 ms | p99 ms | errors | × baseline | CPU ms per request | peak RSS MiB | check |',
      '|---|---:|---:|---:|---:|---:|---:|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.name} | ${fmt(r.rps)} | ${fmt(r.p50)} | ${fmt(r.p90)} | ${fmt(r.p99)} | ${fmt(r.errors)} | ${fmt(r.ratio, 2)} | ${perProcess(r.cpuMsPerRequest, 2)} | ${perProcess(r.peakRssMiB, 0)} | ${r.checksPassed ? 'pass' : '**FAIL**'} |`,
      ),
    );
  }
  if (mix.length && mixSummary) {
    out.push(
      '',
      '## Conversation mix (open loop, fixed arrival rate)',
      '',
      Number.isFinite(mixSummary.requestsPerSecond)
        ? `Highest passing step (p99 ≤ ${String(meta.options.mixP99)} ms, no errors), median over ${mixSummary.rounds} round(s): ` +
            `**${fmt(mixSummary.requestsPerSecond)} requests/s = ${fmt(mixSummary.conversationsPerSecond, 1)} conversations/s** ` +
            `(checks ${mixSummary.checksPassed ? 'pass' : '**FAIL**'}).`
        : `**No step passed** (p99 ≤ ${String(meta.options.mixP99)} ms, no errors) in any round; start lower with ` +
            `\`--mix-start\` (checks ${mixSummary.checksPassed ? 'pass' : '**FAIL**'}).`,
      '',
      '| round | conv/s | offered req/s | achieved req/s | p50 ms | p90 ms | p99 ms | errors | scheduler lag p99 ms | pass |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
      ...mix.flatMap((round) =>
        round.steps.map(
          (s) =>
            `| ${round.round} | ${fmt(s.conversationsPerSecond, 1)} | ${fmt(s.offeredRps)} | ${fmt(s.achievedRps)} | ${fmt(s.p50)} | ${fmt(s.p90)} | ${fmt(s.p99)} | ${s.errors} | ${fmt(s.schedulerLagP99)} | ${s.pass ? 'yes' : 'no'} |`,
        ),
      ),
      '',
      ...mix.flatMap((round) =>
        round.usage
          ? [
              `- round ${round.round}: CPU ms per request ${perProcess(
                mapValues(round.usage, (u) => u.cpuMsPerRequest),
                2,
              )}; ` +
                `peak RSS MiB ${perProcess(
                  mapValues(round.usage, (u) => u.peakRssMiB),
                  0,
                )}; check ${round.check.ok ? 'pass' : '**FAIL**'}: ${round.check.detail}`,
            ]
          : [],
      ),
    );
  }
  if (analysis) out.push('', analysis);
  out.push('', '## History', '', ...history, '');
  return out.join('\n');
}

/** One history line for this run. */
export function historyLine(meta: Meta, rows: SummaryRow[], mixSummary: MixSummary | undefined): string {
  const parts = rows
    .filter((r) => !r.name.startsWith('baseline'))
    .map((r) => `${r.name} ${fmt(r.rps)}/s (${fmt(r.ratio, 2)}×, p99 ${fmt(r.p99)} ms)`);
  const base = rows.filter((r) => r.name.startsWith('baseline')).map((r) => `${r.name} ${fmt(r.rps)}/s`);
  if (mixSummary)
    parts.push(
      `mix ${fmt(mixSummary.requestsPerSecond)} req/s (${fmt(mixSummary.conversationsPerSecond, 1)} conv/s)`,
    );
  const checks = rows.every((r) => r.checksPassed) && (mixSummary?.checksPassed ?? true);
  return `- ${meta.date} ${meta.commit}${meta.smoke ? ' (smoke)' : ''}${meta.note ? ` [${meta.note}]` : ''}: ${[...base, ...parts].join('; ')}; checks ${checks ? 'pass' : 'FAIL'}`;
}

/**
 * The hand-written `## Analysis` section of an existing RESULTS.md (up to `## History`): what the
 * figures mean, which targets are met and what limits the rest. Every run keeps it as it is.
 */
export function readAnalysis(markdown: string): string | undefined {
  const start = markdown.indexOf('\n## Analysis');
  if (start < 0) return undefined;
  const end = markdown.indexOf('\n## History', start);
  return markdown.slice(start + 1, end < 0 ? undefined : end).trim();
}

/** The history lines of an existing RESULTS.md (everything after its `## History` heading). */
export function readHistory(markdown: string): string[] {
  const at = markdown.indexOf('\n## History');
  if (at < 0) return [];
  return markdown
    .slice(at)
    .split('\n')
    .filter((line) => line.startsWith('- '));
}
