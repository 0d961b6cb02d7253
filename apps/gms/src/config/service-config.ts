import { GMS_EXCEPTION, createLogger, messagingFrom, tenancyFrom } from '@cs/platform/core';
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
    messaging: messagingFrom(env),
    logger: createLogger('gms', env.LOG_LEVEL),
  };
}
