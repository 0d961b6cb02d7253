import type { INestApplication } from '@nestjs/common';
import { loadEnv } from '@cs/platform/core';
import { startServiceApp } from '@cs/platform';
import { dropDatabases, freePort, type Backend } from '@cs/testing';
import { GmsModule } from '../src/app.module';
import { GmsEnv } from '../src/config/gms-env';
import { gmsServiceConfig } from '../src/config/service-config';

export interface StartedGms {
  app: INestApplication;
  /** `http://127.0.0.1:<port>`, without the base path. */
  url: string;
  env: GmsEnv;
  /** Closes the app and drops its MySQL database (idempotent). */
  close(): Promise<void>;
}

/** Starts gms in this process, exactly as main.ts does, on a fresh database of `backend`. */
export async function startGms(
  backend: Backend,
  overrides: Record<string, string> = {},
): Promise<StartedGms> {
  const env = loadEnv(GmsEnv, {
    GMS_PORT: '0',
    GMS_HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    GMS_TCP_PORT: String(await freePort()),
    UCS_TCP_PORT: String(await freePort()),
    ...backend.env(),
    ...overrides,
  });
  const config = gmsServiceConfig(env);
  let app: INestApplication;
  try {
    app = await startServiceApp(GmsModule.forRoot(env, config), config);
  } catch (error) {
    await dropDatabases([env.GMS_DATABASE_URL]);
    throw error;
  }
  const url = await app.getUrl();
  let closed: Promise<void> | undefined;
  return {
    app,
    url,
    env,
    close: () => {
      closed ??= (async () => {
        try {
          await app.close();
        } finally {
          await dropDatabases([env.GMS_DATABASE_URL]);
        }
      })();
      return closed;
    },
  };
}
