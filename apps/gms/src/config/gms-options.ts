import { accessControlFrom, readJsonSource, type Logger, type UserAccount } from '@cs/platform/core';
import { parseAttributeLists } from '../business-attributes/attributes-config';
import type { BusinessAttributesOptions } from '../business-attributes/business-attributes';
import type { GmsEnv } from './gms-env';
import { PERIOD_FORMAT, parsePeriod } from './period';

/** The spec's default `cview/expiration` (§1.7, §1.11). */
export const DEFAULT_EXPIRATION = '5y';

/** gms business options derived from the environment (spec §1.11). */
export interface GmsOptions {
  nodeId: number;
  /** `cview/enabled`: false → the service API answers 503. */
  enabled: boolean;
  /** Default lifetime of a service in seconds (spec §1.7, `cview/expiration`, default 5 years). */
  expirationSeconds: number;
  /** `cview/auto-complete-enabled`: the auto-complete sweep runs only when true (spec §5 item 50). */
  autoCompleteEnabled: boolean;
  /** `cview/auto-complete-after` in seconds; null when unset. */
  autoCompleteAfterSeconds: number | null;
  /** `cview/allow-custom-ids`. */
  allowCustomIds: boolean;
  /** `cview/use-role` and the users it checks, by name. */
  useRole: boolean;
  users: ReadonlyMap<string, UserAccount>;
  businessAttributes: BusinessAttributesOptions;
  /** Where file exports are written (spec §4.27). */
  exportDir: string;
  /** Period of the background sweeps (spec §4.28). */
  sweepIntervalMs: number;
  /** Maintenance jobs (docs/decisions/0010). */
  jobs: JobOptions;
}

export interface JobOptions {
  /** This replica claims and runs jobs. */
  runner: boolean;
  pollMs: number;
  leaseMs: number;
  batchSize: number;
  batchPauseMs: number;
  /** Runs a job gets before a claim gives it up (crash loops, a database that keeps failing it). */
  maxAttempts: number;
}

export const GMS_OPTIONS = Symbol('GMS_OPTIONS');

/** Builds the options from a validated env; `logger` receives the warning of an invalid GMS_EXPIRATION. */
export function gmsOptions(env: GmsEnv, logger?: Pick<Logger, 'warn'>): GmsOptions {
  return {
    nodeId: env.GMS_NODE_ID,
    enabled: env.GMS_ENABLED,
    expirationSeconds: expirationSeconds(env.GMS_EXPIRATION, logger),
    autoCompleteEnabled: env.GMS_AUTO_COMPLETE_ENABLED,
    autoCompleteAfterSeconds: env.GMS_AUTO_COMPLETE_AFTER ?? null,
    allowCustomIds: env.GMS_ALLOW_CUSTOM_IDS,
    ...accessControlFrom(env.GMS_USE_ROLE, env.GMS_USERS),
    businessAttributes: {
      lists: env.GMS_BUSINESS_ATTRIBUTES
        ? parseAttributeLists(readJsonSource(env.GMS_BUSINESS_ATTRIBUTES))
        : new Map(),
      dataValidation: env.GMS_DATA_VALIDATION,
      mapNames: env.GMS_MAP_NAMES,
      storeNames: env.GMS_STORE_NAMES,
    },
    exportDir: env.GMS_EXPORT_DIR,
    sweepIntervalMs: env.GMS_SWEEP_INTERVAL_MS,
    jobs: {
      runner: env.GMS_JOB_RUNNER,
      pollMs: env.GMS_JOB_POLL_MS,
      leaseMs: env.GMS_JOB_LEASE_MS,
      batchSize: env.GMS_JOB_BATCH_SIZE,
      batchPauseMs: env.GMS_JOB_BATCH_PAUSE_MS,
      maxAttempts: env.GMS_JOB_MAX_ATTEMPTS,
    },
  };
}

/** Spec §1.11: an invalid `cview/expiration` falls back to the default and is logged, not fatal. */
function expirationSeconds(value: string, logger?: Pick<Logger, 'warn'>): number {
  const seconds = parsePeriod(value);
  if (seconds !== undefined) return seconds;
  logger?.warn(
    { variable: 'GMS_EXPIRATION', value, fallback: DEFAULT_EXPIRATION },
    `GMS_EXPIRATION must be ${PERIOD_FORMAT}; using ${DEFAULT_EXPIRATION}`,
  );
  return parsePeriod(DEFAULT_EXPIRATION) as number;
}
