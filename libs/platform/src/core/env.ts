import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

/** Thrown at boot when the environment is invalid; the message names every bad variable. */
export class EnvValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvValidationError';
  }
}

/**
 * Validates `source` (usually process.env) into an instance of `envClass`. Empty strings count as
 * unset so that `FOO=` falls back to the default. Unknown variables are ignored.
 */
export function loadEnv<T extends object>(
  envClass: new () => T,
  source: Record<string, string | undefined> = process.env,
): T {
  const defaults = new envClass() as Record<string, unknown>;
  const plain: Record<string, unknown> = {};
  for (const key of Object.keys(defaults)) {
    const raw = source[key];
    plain[key] = raw === undefined || raw === '' ? defaults[key] : raw;
  }
  const env = plainToInstance(envClass, plain, { enableImplicitConversion: true });
  const errors = validateSync(env, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) throw new EnvValidationError(errors.flatMap(describe));
  return env;
}

function describe(error: ValidationError): string[] {
  const value = error.value === undefined ? 'unset' : JSON.stringify(error.value);
  return Object.values(error.constraints ?? {}).map((c) => `${error.property} (${value}): ${c}`);
}

/** Runs `main`; an invalid environment stops the process with exit code 1 and the list of problems. */
export function exitOnEnvError(error: unknown): never {
  if (error instanceof EnvValidationError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Fatal start-up error: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
}
