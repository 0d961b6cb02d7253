import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux for every architecture we run on). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) of a process in ms, from /proc/<pid>/stat; NaN when unreadable. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; utime/stime are 14/15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** A `VmXxx: 1234 kB` line of /proc/<pid>/status in MiB; NaN when unreadable. */
export function statusMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export interface ProcessUsage {
  /** CPU ms the process used during the run. */
  cpuMs: number;
  /** Highest VmRSS sampled during the run, MiB. */
  peakRssMiB: number;
  /** VmHWM at the end of the run (peak since the process started; Linux cannot reset it), MiB. */
  hwmMiB: number;
}

/**
 * Measures named processes over one run: CPU time before/after, VmRSS sampled every `intervalMs`
 * (VmHWM cannot be reset between runs, so the per-run peak is the sampled maximum).
 */
export function startUsage(pids: Record<string, number>, intervalMs = 200) {
  const cpuBefore = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
  const peak: Record<string, number> = Object.fromEntries(Object.keys(pids).map((name) => [name, 0]));
  const sample = () => {
    for (const [name, pid] of Object.entries(pids)) {
      const rss = statusMiB(pid, 'VmRSS');
      if (rss > peak[name]) peak[name] = rss;
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop(): Record<string, ProcessUsage> {
      clearInterval(timer);
      sample();
      return Object.fromEntries(
        Object.entries(pids).map(([name, pid]) => [
          name,
          {
            cpuMs: cpuMs(pid) - cpuBefore[name],
            peakRssMiB: round1(peak[name]),
            hwmMiB: round1(statusMiB(pid, 'VmHWM')),
          },
        ]),
      );
    },
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;
