// `npm run bench:profile -- <file.cpuprofile | dir> [--top 25]`: where a process spent its CPU time.
// Self time of every sampled function, grouped by where its code lives (an npm package, a Node.js
// internal module, the project's own code, GC, idle), and the hottest functions. This is the profile
// evidence behind tools/bench/RESULTS.md; the raw profiles open in Chrome DevTools or speedscope.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Where a function's code lives: `pkg:<npm package>`, `node:<module>`, `app:<project dir>` or a V8 tag. */
export function placeOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return `pkg:${parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]}`;
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  const project = /\/(apps|libs|tools)\/([^/]+)\//.exec(url);
  if (project) return `app:${project[1]}/${project[2]}`;
  // A webpack bundle inlines the project's code into dist/apps/<app>/main.js.
  if (/\/dist\/apps\/[^/]+\/main\.js$/.test(url)) return 'app:bundle';
  return url;
}

export interface Summary {
  /** Milliseconds of samples in the profile, idle included. */
  totalMs: number;
  busyMs: number;
  places: [string, number][];
  functions: [string, number][];
}

export function summarise(profile: CpuProfile): Summary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const places = new Map<string, number>();
  const functions = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    totalUs += us;
    if (functionName === '(idle)') idleUs += us;
    const place = placeOf(url, functionName);
    places.set(place, (places.get(place) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} ${place}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  const sorted = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).map(([k, us]) => [k, us / 1000] as [string, number]);
  return {
    totalMs: totalUs / 1000,
    busyMs: (totalUs - idleUs) / 1000,
    places: sorted(places),
    functions: sorted(functions),
  };
}

function profilesIn(target: string): string[] {
  if (!statSync(target).isDirectory()) return [target];
  return readdirSync(target)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(target, f));
}

function main(args: string[]): void {
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 25;
  const targets = args.filter((a, i) => a !== '--top' && i !== topAt + 1 && !(topAt >= 0 && i === topAt));
  if (targets.length === 0) {
    process.stderr.write('usage: npm run bench:profile -- <file.cpuprofile | dir> [--top 25]\n');
    process.exit(2);
  }
  for (const file of targets.flatMap(profilesIn)) {
    const s = summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
    const pct = (ms: number) => `${((100 * ms) / s.busyMs).toFixed(1).padStart(5)} %`;
    const line = ([name, ms]: [string, number]) => `  ${pct(ms)} ${ms.toFixed(0).padStart(7)} ms  ${name}`;
    const busy = s.places.filter(([p]) => p !== '(idle)');
    process.stdout.write(
      `${file}\n  busy ${s.busyMs.toFixed(0)} ms of ${s.totalMs.toFixed(0)} ms sampled (shares below: of busy time)\n` +
        `by place:\n${busy.slice(0, top).map(line).join('\n')}\n` +
        `hottest functions (self time):\n${s.functions
          .filter(([f]) => !f.startsWith('(idle)'))
          .slice(0, top)
          .map(line)
          .join('\n')}\n\n`,
    );
  }
}

if (require.main === module) main(process.argv.slice(2));
