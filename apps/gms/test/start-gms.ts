import { loadEnv } from '@cs/platform/core';
import { inProcessEnv, startInProcess, type Backend, type StartedApp } from '@cs/testing';
import { GmsModule } from '../src/app.module';
import { GmsEnv } from '../src/config/gms-env';
import { gmsServiceConfig } from '../src/config/service-config';

export type StartedGms = StartedApp<GmsEnv>;

/** Starts gms in this process, exactly as main.ts does, on a fresh database of `backend`,
 * behind a gateway process: tests reach it as clients do. */
export async function startGms(
  backend: Backend,
  overrides: Record<string, string> = {},
): Promise<StartedGms> {
  const env = loadEnv(GmsEnv, {
    GMS_PORT: '0',
    GMS_HOST: '127.0.0.1',
    ...(await inProcessEnv(backend)),
    ...overrides,
  });
  const config = gmsServiceConfig(env);
  return startInProcess(env, env.GMS_DATABASE_URL, GmsModule.forRoot(env, config), config, {
    behindGateway: 'gms',
  });
}
