import type { INestApplication } from '@nestjs/common';
import { loadEnv } from '@cs/platform/core';
import { startServiceApp } from '@cs/platform';
import { dropDatabases, freePort, type Backend } from '@cs/testing';
import { UcsModule } from '../src/app.module';
import { UcsEnv } from '../src/config/ucs-env';
import { ucsServiceConfig } from '../src/config/service-config';

export interface StartedUcs {
  app: INestApplication;
  /** `http://127.0.0.1:<port>`, without the base path. */
  url: string;
  env: UcsEnv;
  /** Closes the app and drops its MySQL database (idempotent). */
  close(): Promise<void>;
}

/** Starts ucs in this process, exactly as main.ts does, on a fresh database of `backend`. */
export async function startUcs(
  backend: Backend,
  overrides: Record<string, string> = {},
): Promise<StartedUcs> {
  const env = loadEnv(UcsEnv, {
    UCS_PORT: '0',
    UCS_HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    GMS_TCP_PORT: String(await freePort()),
    UCS_TCP_PORT: String(await freePort()),
    ...backend.env(),
    ...overrides,
  });
  const config = ucsServiceConfig(env);
  let app: INestApplication;
  try {
    app = await startServiceApp(UcsModule.forRoot(env, config), config);
  } catch (error) {
    await dropDatabases([env.UCS_DATABASE_URL]);
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
          await dropDatabases([env.UCS_DATABASE_URL]);
        }
      })();
      return closed;
    },
  };
}
