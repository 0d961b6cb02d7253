export interface FaultOptions {
  seconds: number;
  kills: number;
}

function usage(problem: string): never {
  process.stderr.write(`${problem}\nusage: tools/fault/run.ts [--seconds <n>] [--kills <n>]\n`);
  process.exit(2);
}

/** `--seconds` (load duration, default 60) and `--kills` (SIGKILLs of gms/ucs, default 10). */
export function parseFaultArgs(args: string[]): FaultOptions {
  const options: FaultOptions = { seconds: 60, kills: 10 };
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i];
    const value = Number(args[i + 1]);
    if (name !== '--seconds' && name !== '--kills') usage(`unknown argument '${name}'`);
    if (!Number.isInteger(value) || value < (name === '--seconds' ? 1 : 0)) {
      usage(
        `${name} needs a ${name === '--seconds' ? 'positive' : 'non-negative'} integer, got '${args[i + 1]}'`,
      );
    }
    options[name === '--seconds' ? 'seconds' : 'kills'] = value;
  }
  return options;
}
