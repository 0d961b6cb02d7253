import type { GmsEnv } from './gms-env';

/** gms business options derived from the environment. */
export interface GmsOptions {
  nodeId: number;
  /** Default lifetime of a service (spec §1.7, `cview/expiration`, default 5 years). */
  expirationSeconds: number;
}

export const GMS_OPTIONS = Symbol('GMS_OPTIONS');

export function gmsOptions(env: GmsEnv): GmsOptions {
  return { nodeId: env.GMS_NODE_ID, expirationSeconds: env.GMS_EXPIRATION_SECONDS };
}
