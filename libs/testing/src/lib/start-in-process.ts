import type { DynamicModule, INestApplication } from '@nestjs/common';
import { startServiceApp, type ServiceConfig } from '@cs/platform';
import type { Backend } from './backends';
import { dropDatabases } from './drop-databases';
import { freePort } from './ports';

export interface StartedApp<E> {
  app: INestApplication;
  /** `http://127.0.0.1:<port>`, without the base path. */
  url: string;
  env: E;
  /** Closes the app and drops its MySQL database (idempotent). */
  close(): Promise<void>;
}

/** Variables for an in-process service on `backend`: fresh databases, free transport ports, quiet logs. */
export async function inProcessEnv(backend: Backend): Promise<Record<string, string>> {
  return {
    LOG_LEVEL: 'silent',
    GMS_TCP_PORT: String(await freePort()),
    UCS_TCP_PORT: String(await freePort()),
    ...backend.env(),
  };
}

/** Starts a service in this process exactly as its main.ts does; the database is dropped on close. */
export async function startInProcess<E>(
  env: E,
  databaseUrl: string,
  module: DynamicModule,
  config: ServiceConfig,
): Promise<StartedApp<E>> {
  let app: INestApplication;
  try {
    app = await startServiceApp(module, config);
  } catch (error) {
    await dropDatabases([databaseUrl]);
    throw error;
  }
  const url = await app.getUrl();
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      try {
        await app.close();
      } finally {
        await dropDatabases([databaseUrl]);
      }
    })());
  return { app, url, env, close };
}
