import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabases, freePort, testBackends, waitFor } from '@cs/testing';
import { ROOT } from './support/env-names';

const APPS = ['gateway', 'gms', 'ucs'] as const;
type App = (typeof APPS)[number];

/**
 * The Dockerfile's steps without Docker (no engine here; docker/README.md): the production build,
 * `npm ci --omit=dev --ignore-scripts` from the generated package.json + lock into a copy of each
 * dist/apps/<app>, better-sqlite3's native binary copied from the workspace install, then
 * `node migrate.js` and `node main.js` from that copy until the health endpoints answer
 * (ARCHITECTURE §2 docker/, §3 run modes).
 */
describe('production build output (docker/Dockerfile steps)', () => {
  const copies = {} as Record<App, string>;
  const timings: string[] = [];

  beforeAll(async () => {
    let started = Date.now();
    await run(
      'npx',
      ['nx', 'run-many', '-t', 'build', '-p', APPS.join(','), '--outputStyle=static', '--skip-nx-cache'],
      ROOT,
      {
        NX_DAEMON: 'false',
        NX_NO_CLOUD: 'true',
      },
    );
    timings.push(`build ${Date.now() - started} ms`);
    started = Date.now();
    await Promise.all(
      APPS.map(async (app) => {
        const dir = mkdtempSync(join(tmpdir(), `cs-image-${app}-`));
        cpSync(join(ROOT, 'dist/apps', app), dir, { recursive: true });
        await run(
          'npm',
          ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'],
          dir,
        );
        if (existsSync(join(dir, 'node_modules/better-sqlite3'))) {
          cpSync(
            join(ROOT, 'node_modules/better-sqlite3/build'),
            join(dir, 'node_modules/better-sqlite3/build'),
            {
              recursive: true,
            },
          );
        }
        copies[app] = dir;
      }),
    );
    timings.push(`npm ci --omit=dev x3 ${Date.now() - started} ms`);
  }, 900000);

  afterAll(() => {
    console.info(`build output: ${timings.join(', ')}`);
    for (const dir of Object.values(copies)) rmSync(dir, { recursive: true, force: true });
  });

  it('each bundle comes with a package.json and lock that npm ci accepts; DB drivers in, dev tools out', () => {
    for (const app of APPS) {
      const dir = copies[app];
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        main: string;
        dependencies: Record<string, string>;
      };
      expect(manifest.main).toBe('main.js');
      const installed = (name: string) => existsSync(join(dir, 'node_modules', name, 'package.json'));
      for (const devTool of ['jest', 'nx', 'typescript', 'webpack', '@swc/core', 'eslint']) {
        expect({ app, devTool, installed: installed(devTool) }).toEqual({ app, devTool, installed: false });
      }
      if (app !== 'gateway') {
        expect(Object.keys(manifest.dependencies)).toEqual(
          expect.arrayContaining(['mysql2', 'better-sqlite3']),
        );
        expect(installed('mysql2') && installed('better-sqlite3')).toBe(true);
        expect(existsSync(join(dir, 'migrate.js'))).toBe(true);
      }
    }
  });

  describe.each(testBackends().map((b) => [b.name, b] as const))(
    'started from the build output (%s)',
    (_, backend) => {
      let env: Record<string, string>;
      const running: ChildProcess[] = [];

      beforeAll(async () => {
        const [gmsPort, ucsPort, gatewayPort, gmsTcp, ucsTcp] = await Promise.all(
          [1, 2, 3, 4, 5].map(() => freePort()),
        );
        env = {
          ...backend.env(),
          GMS_PORT: String(gmsPort),
          UCS_PORT: String(ucsPort),
          GATEWAY_PORT: String(gatewayPort),
          GMS_TCP_PORT: String(gmsTcp),
          UCS_TCP_PORT: String(ucsTcp),
          GMS_URL: `http://127.0.0.1:${gmsPort}`,
          UCS_URL: `http://127.0.0.1:${ucsPort}`,
          GMS_MIGRATE_ON_START: 'false',
          UCS_MIGRATE_ON_START: 'false',
          GMS_EXPORT_DIR: join(mkdtempSync(join(tmpdir(), 'cs-exports-')), 'exports'),
          LOG_LEVEL: 'warn',
        };
      });

      afterAll(async () => {
        for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
        await dropDatabases([env.GMS_DATABASE_URL, env.UCS_DATABASE_URL]);
      });

      it('node migrate.js applies the gms and ucs migrations and exits 0', async () => {
        for (const app of ['gms', 'ucs'] as const) {
          const output = await run(process.execPath, ['migrate.js'], copies[app], env);
          expect(output).toMatch(new RegExp(`^${app}: applied \\w+`, 'm'));
          expect(await run(process.execPath, ['migrate.js'], copies[app], env)).toMatch(`${app}: up to date`);
        }
      }, 120000);

      it('node main.js starts gms, ucs and the gateway: /health/live and /health/ready answer 200, SIGTERM exits 0', async () => {
        const ports = { gms: env.GMS_PORT, ucs: env.UCS_PORT, gateway: env.GATEWAY_PORT };
        const apps = APPS.map((app) => {
          const child = spawn(process.execPath, ['main.js'], {
            cwd: copies[app],
            env: { ...process.env, ...env },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          running.push(child);
          let output = '';
          child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
          child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
          return { app, child, url: `http://127.0.0.1:${ports[app]}`, output: () => output };
        });
        for (const { app, url, child, output } of apps) {
          for (const path of ['/health/live', '/health/ready']) {
            await waitFor(
              async () => {
                if (child.exitCode !== null) throw new Error(`${app} exited ${child.exitCode}:\n${output()}`);
                return (await fetch(`${url}${path}`).catch(() => undefined))?.status === 200;
              },
              60000,
              () => `${app} ${path} did not answer 200:\n${output()}`,
            );
          }
        }
        const [gateway] = apps.filter((a) => a.app === 'gateway');
        const started = await fetch(`${gateway.url}/genesys/1/cs/services/start`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ contact_key: '+33155550777' }),
        });
        expect([200, 201]).toContain(started.status);
        for (const { child } of apps) {
          const exited = once(child, 'exit');
          child.kill('SIGTERM');
          expect((await exited)[0]).toBe(0);
        }
      }, 180000);
    },
  );
});

/** Runs a command to completion; rejects with its output when it fails. */
async function run(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<string> {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0)
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${code}:\n${output.slice(-4000)}`);
  return output;
}
