import { UCS_EXCEPTION, createLogger, messagingFrom, tenancyFrom } from '@cs/platform/core';
import type { ServiceConfig } from '@cs/platform';
import type { UcsEnv } from './ucs-env';

export function ucsServiceConfig(env: UcsEnv): ServiceConfig {
  return {
    name: 'ucs',
    title: 'Context Services — customer profiles and interactions (ucs)',
    port: env.UCS_PORT,
    host: env.UCS_HOST,
    basePath: env.CS_BASE_PATH,
    defaultException: UCS_EXCEPTION,
    tenancy: tenancyFrom(env),
    messaging: messagingFrom(env),
    logger: createLogger('ucs', env.LOG_LEVEL),
  };
}
