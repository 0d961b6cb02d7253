export type ServerMode = 'production' | 'maintenance';

export const SERVER_MODES: readonly ServerMode[] = ['production', 'maintenance'];

export interface ServerModeOptions {
  /** `CS_INITIAL_MODE`. */
  initialMode: ServerMode;
  /** `CS_MODE_SWITCH_TIMEOUT_MS`: how long a switch waits for in-flight requests of the other class. */
  switchTimeoutMs: number;
  /** `CS_ALLOW_SCHEMA_WRITES_IN_PRODUCTION` (spec A-07). */
  allowSchemaWritesInProduction: boolean;
}

export const SERVER_MODE_OPTIONS = Symbol('SERVER_MODE_OPTIONS');
