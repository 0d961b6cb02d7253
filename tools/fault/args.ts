export interface FaultOptions {
  seconds: number;
  kills: number;
  /** `real`: MariaDB + NATS (JetStream); `embedded`: SQLite files + the TCP transport. */
  mode: 'real' | 'embedded';
  /** NATS: CS_EVENTS_ACK_WAIT_MS of the apps, in seconds (how soon an event a killed ucs held comes back). */
  ackWait: number;
}

const USAGE =
  'usage: tools/fault/run.ts [--seconds <n>] [--kills <n>] [--mode real|embedded] [--ack-wait <seconds>]';

function usage(problem: string): never {
  process.stderr.write(`${problem}\n${USAGE}\n`);
  process.exit(2);
}

function integer(name: string, raw: string | undefined, min: number): number {
  const value = Number(raw);
  if (raw === undefined || !Number.isInteger(value) || value < min) {
    usage(`${name} needs an integer of at least ${min}, got '${raw ?? ''}'`);
  }
  return value;
}

/**
 * `--seconds` (load duration, default 60), `--kills` (SIGKILLs of gms/ucs, default 10), `--mode`
 * (default real) and `--ack-wait` (default 30, the apps' default).
 */
export function parseFaultArgs(args: string[]): FaultOptions {
  const options: FaultOptions = { seconds: 60, kills: 10, mode: 'real', ackWait: 30 };
  for (let i = 0; i < args.length; i += 2) {
    const [name, raw] = [args[i], args[i + 1]];
    if (name === '--seconds') options.seconds = integer(name, raw, 1);
    else if (name === '--kills') options.kills = integer(name, raw, 0);
    else if (name === '--ack-wait') options.ackWait = integer(name, raw, 1);
    else if (name === '--mode') {
      if (raw !== 'real' && raw !== 'embedded') usage(`--mode is real or embedded, got '${raw ?? ''}'`);
      options.mode = raw;
    } else usage(`unknown argument '${name}'`);
  }
  return options;
}
