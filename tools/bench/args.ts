import { resolve } from 'node:path';

export const SCENARIOS = ['baseline', 'write', 'read', 'identify', 'mix'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface BenchOptions {
  scenarios: Scenario[];
  /** Seconds per closed-loop run and per step of the mix. */
  duration: number;
  /** Connections of the closed-loop runs (baseline and system alike). */
  connections: number;
  rounds: number;
  quick: boolean;
  /** Profiles loaded before the identify and profile-read runs. */
  profiles: number;
  /** Services created before the service-read runs. */
  services: number;
  /** First step of the mix (conversations/s) and the factor of each next step. */
  mixStart: number;
  mixFactor: number;
  mixMaxSteps: number;
  /** p99 limit of a passing mix step, ms. */
  mixP99: number;
  /**
   * Where the JSON result and a RESULTS.md go (absolute, created if missing). Unset: tools/bench/results/
   * and tools/bench/RESULTS.md; set: those two are left untouched (the history is only read from it).
   */
  out?: string;
}

const USAGE =
  'usage: npm run bench -- [--scenario all|baseline|write|read|identify|mix[,...]] [--duration <s>] ' +
  '[--connections <n>] [--rounds <n>] [--profiles <n>] [--services <n>] [--mix-start <conv/s>] ' +
  '[--mix-factor <x>] [--mix-max-steps <n>] [--out <dir>] [--quick]';

function usage(problem: string): never {
  process.stderr.write(`${problem}\n${USAGE}\n`);
  process.exit(2);
}

function positive(name: string, raw: string | undefined): number {
  const value = Number(raw);
  if (raw === undefined || !Number.isFinite(value) || value <= 0) usage(`${name} needs a positive number`);
  return value;
}

/**
 * Defaults: every scenario, 10 s runs, 32 connections, 3 rounds, 100k profiles. `--quick` is a smoke
 * run (2 s runs, 1 round, 2k profiles, a short mix); explicit flags after it still win.
 */
export function parseBenchArgs(args: string[]): BenchOptions {
  const options: BenchOptions = {
    scenarios: [...SCENARIOS],
    duration: 10,
    connections: 32,
    rounds: 3,
    quick: false,
    profiles: 100000,
    services: 2000,
    mixStart: 5,
    mixFactor: 1.5,
    mixMaxSteps: 12,
    mixP99: 50,
  };
  if (args.includes('--quick')) {
    Object.assign(options, {
      quick: true,
      duration: 2,
      rounds: 1,
      profiles: 2000,
      services: 500,
      mixStart: 1,
      mixMaxSteps: 4,
    });
  }
  for (let i = 0; i < args.length; i++) {
    const [name, raw] = [args[i], args[i + 1]];
    if (name === '--quick') continue;
    i++;
    if (name === '--scenario') {
      const list = raw === 'all' ? [...SCENARIOS] : (raw ?? '').split(',');
      for (const s of list) if (!SCENARIOS.includes(s as Scenario)) usage(`unknown scenario '${s}'`);
      options.scenarios = list as Scenario[];
    } else if (name === '--duration') options.duration = positive(name, raw);
    else if (name === '--connections') options.connections = Math.round(positive(name, raw));
    else if (name === '--rounds') options.rounds = Math.round(positive(name, raw));
    else if (name === '--profiles') options.profiles = Math.round(positive(name, raw));
    else if (name === '--services') options.services = Math.round(positive(name, raw));
    else if (name === '--mix-start') options.mixStart = positive(name, raw);
    else if (name === '--mix-factor') options.mixFactor = positive(name, raw);
    else if (name === '--mix-max-steps') options.mixMaxSteps = Math.round(positive(name, raw));
    else if (name === '--out') {
      if (!raw || raw.startsWith('--')) usage('--out needs a directory');
      options.out = resolve(raw);
    } else usage(`unknown argument '${name}'`);
  }
  return options;
}
