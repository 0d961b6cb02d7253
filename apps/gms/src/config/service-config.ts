import { GMS_EXCEPTION, createLogger, tenancyFrom } from '@cs/platform/core';
import type { ServiceConfig } from '@cs/platform';
import type { GmsEnv } from './gms-env';

export function gmsServiceConfig(env: GmsEnv): ServiceConfig {
  return {
    name: 'gms',
    title: 'Context Services — services, states and tasks (gms)',
    port: env.GMS_PORT,
    host: env.GMS_HOST,
    basePath: env.CS_BASE_PATH,
    defaultException: GMS_EXCEPTION,
    tenancy: tenancyFrom(env),
    messaging: {
      natsUrl: env.NATS_URL,
      tcpPeers: { gms: { host: '127.0.0.1', port: env.GMS_TCP_PORT }, ucs: { host: '127.0.0.1', port: env.UCS_TCP_PORT } },
      requestTimeoutMs: env.CS_REQUEST_TIMEOUT_MS,
    },
    logger: createLogger('gms', env.LOG_LEVEL),
  };
}
