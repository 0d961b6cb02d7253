import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabases, freePort, spawnApp, type Backend, type RunningApp } from '@cs/testing';

/** gms, ucs and one gateway in front of both, as three processes (the way `npm start` runs them). */
export interface Stack {
  /** The gateway, without the base path. */
  url: string;
  env: Record<string, string>;
  apps: RunningApp[];
  /** The last lines the three processes wrote (error logs of a 5xx). */
  tail(lines?: number): string;
  stop(): Promise<void>;
}

export async function startStack(backend: Backend): Promise<Stack> {
  const [gmsPort, ucsPort, gatewayPort, gmsTcp, ucsTcp] = await Promise.all(
    [1, 2, 3, 4, 5].map(() => freePort()),
  );
  const env: Record<string, string> = {
    ...backend.env(),
    GMS_PORT: String(gmsPort),
    UCS_PORT: String(ucsPort),
    GATEWAY_PORT: String(gatewayPort),
    GATEWAY_HOST: '127.0.0.1',
    GMS_TCP_PORT: String(gmsTcp),
    UCS_TCP_PORT: String(ucsTcp),
    GMS_URL: `http://127.0.0.1:${gmsPort}`,
    UCS_URL: `http://127.0.0.1:${ucsPort}`,
    LOG_LEVEL: 'error',
    // Nothing may write on its own while a batch is checked: no sweeps during the run, and the
    // outbox relay delivers right after each commit (the short poll only bounds the quiet wait).
    GMS_SWEEP_INTERVAL_MS: String(24 * 3600 * 1000),
    CS_OUTBOX_POLL_MS: '50',
    GMS_EXPORT_DIR: mkdtempSync(join(tmpdir(), 'cs-fuzz-export-')),
    // The fuzz run is one client sending thousands of requests: no rate limit in its way.
    GATEWAY_RATE_LIMIT_RPS: '0',
  };
  const apps: RunningApp[] = [];
  const stop = async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await dropDatabases([env.GMS_DATABASE_URL, env.UCS_DATABASE_URL]);
  };
  try {
    apps.push(...(await Promise.all([spawnApp('gms', gmsPort, env), spawnApp('ucs', ucsPort, env)])));
    apps.push(await spawnApp('gateway', gatewayPort, env));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${gatewayPort}`,
    env,
    apps,
    tail: (lines = 12) =>
      apps
        .map((app) => {
          // The 503s server mode answers by design are logged too; they are not what a failure is about.
          const own = app
            .output()
            .split('\n')
            .filter((line) => !line.includes('WRONG_SERVER_MODE'));
          return `--- ${app.name}\n${own.slice(-lines).join('\n')}`;
        })
        .join('\n'),
    stop,
  };
}
