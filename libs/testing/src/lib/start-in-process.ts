import type { DynamicModule, INestApplication } from '@nestjs/common';
import { startServiceApp, type ServiceConfig } from '@cs/platform';
import type { Backend } from './backends';
import { dropDatabases } from './drop-databases';
import { freePort } from './ports';
import { spawnApp, type RunningApp } from './spawn-app';

export interface StartedApp<E> {
  app: INestApplication;
  /**
   * Where tests send requests, without the base path: the gateway in front of the service (as
   * clients reach it), or the service itself when started without one or with CS_E2E_DIRECT=true.
   */
  url: string;
  /** The service itself, e.g. for its own /health endpoints. */
  directUrl: string;
  env: E;
  /** Closes the gateway and the app and drops its MySQL database (idempotent). */
  close(): Promise<void>;
}

export interface InProcessOptions {
  /** Puts a gateway process in front of the service, routing to it as `gms` or `ucs`. */
  behindGateway?: 'gms' | 'ucs';
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
export async function startInProcess<E extends object>(
  env: E,
  databaseUrl: string,
  module: DynamicModule,
  config: ServiceConfig,
  options: InProcessOptions = {},
): Promise<StartedApp<E>> {
  let app: INestApplication;
  let gateway: RunningApp | undefined;
  try {
    app = await startServiceApp(module, config);
  } catch (error) {
    await dropDatabases([databaseUrl]);
    throw error;
  }
  const directUrl = await app.getUrl();
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      try {
        await gateway?.stop();
        await app.close();
      } finally {
        await dropDatabases([databaseUrl]);
      }
    })());
  if (options.behindGateway && process.env.CS_E2E_DIRECT !== 'true') {
    try {
      gateway = await startGatewayFor(options.behindGateway, directUrl, env);
    } catch (error) {
      await close();
      throw error;
    }
  }
  return { app, url: gateway?.url ?? directUrl, directUrl, env, close };
}

/** A gateway process routing `target`'s paths to `upstreamUrl`; the other upstream is unreachable. */
async function startGatewayFor(target: 'gms' | 'ucs', upstreamUrl: string, env: object): Promise<RunningApp> {
  const port = await freePort();
  const unreachable = `http://127.0.0.1:${await freePort()}`;
  // The gateway shares the CS_* variables (base path, tenancy) with the service behind it.
  const shared = Object.fromEntries(
    Object.entries(env)
      .filter(([name, value]) => name.startsWith('CS_') && value !== undefined)
      .map(([name, value]) => [name, String(value)]),
  );
  return spawnApp('gateway', port, {
    ...shared,
    GATEWAY_PORT: String(port),
    GATEWAY_HOST: '127.0.0.1',
    GMS_URL: target === 'gms' ? upstreamUrl : unreachable,
    UCS_URL: target === 'ucs' ? upstreamUrl : unreachable,
  });
}
