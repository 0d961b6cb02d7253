import { loadEnv } from '@cs/platform/core';
import { inProcessEnv, startInProcess, type Backend, type StartedApp } from '@cs/testing';
import { UcsModule } from '../src/app.module';
import { UcsEnv } from '../src/config/ucs-env';
import { ucsServiceConfig } from '../src/config/service-config';

export type StartedUcs = StartedApp<UcsEnv>;

/** Starts ucs in this process, exactly as main.ts does, on a fresh database of `backend`,
 * behind a gateway process: tests reach it as clients do. */
export async function startUcs(
  backend: Backend,
  overrides: Record<string, string> = {},
): Promise<StartedUcs> {
  const env = loadEnv(UcsEnv, {
    UCS_PORT: '0',
    UCS_HOST: '127.0.0.1',
    ...(await inProcessEnv(backend)),
    ...overrides,
  });
  const config = ucsServiceConfig(env);
  return startInProcess(env, env.UCS_DATABASE_URL, UcsModule.forRoot(env, config), config, {
    behindGateway: 'ucs',
  });
}
