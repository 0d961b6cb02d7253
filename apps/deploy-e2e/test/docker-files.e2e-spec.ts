import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { knownEnvNames, ROOT } from './support/env-names';

/* eslint-disable @typescript-eslint/no-explicit-any -- the compose file is untyped YAML */

/**
 * No Docker engine runs here, so the Dockerfile cannot be built in CI: these checks read it and the
 * compose file (ARCHITECTURE §2 docker/). build-output.e2e-spec.ts runs the Dockerfile's steps.
 */
describe('docker/Dockerfile (ARCHITECTURE §2 docker/)', () => {
  const dockerfile = readFileSync(join(ROOT, 'docker/Dockerfile'), 'utf8');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages = instructions.filter((line) => line.startsWith('FROM '));

  it('every stage starts from Node 20 pinned by exact version (bookworm-slim), never :latest', () => {
    const base = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    expect(base).toMatch(/^node:20\.\d+\.\d+-bookworm-slim(@sha256:[0-9a-f]{64})?$/);
    expect(stages.length).toBe(3);
    for (const stage of stages) expect(stage).toMatch(/^FROM \$\{NODE_IMAGE\} AS \w+$/);
    expect(dockerfile).not.toMatch(/:latest\b/);
  });

  it('builds one app chosen by ARG APP with npm ci and Nx, installs only production dependencies from the generated files', () => {
    expect(instructions).toContain('RUN npm ci --no-audit --no-fund');
    expect(instructions).toContain('RUN npx nx run "${APP}:build" --outputStyle=static');
    expect(instructions).toContain(
      'COPY --from=build /src/dist/apps/${APP}/package.json /src/dist/apps/${APP}/package-lock.json ./',
    );
    expect(instructions).toContain('RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund');
    expect(instructions.filter((line) => line === 'ARG APP')).toHaveLength(3);
  });

  it('runs node main.js as a non-root user, with no HEALTHCHECK', () => {
    const runtime = instructions.slice(instructions.indexOf(stages[2]));
    expect(runtime).toContain('USER node');
    expect(runtime.at(-1)).toBe('CMD ["node", "main.js"]');
    expect(instructions.some((line) => line.startsWith('HEALTHCHECK'))).toBe(false);
  });

  it('.dockerignore keeps node_modules, dist, local data and git out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', 'dist', 'data', '.git', '.nx']) expect(ignored).toContain(entry);
  });
});

describe('docker/docker-compose.yml (ARCHITECTURE §2 docker/, §3 production mode)', () => {
  const compose = parse(readFileSync(join(ROOT, 'docker/docker-compose.yml'), 'utf8'), {
    merge: true,
  }) as any;
  const services = compose.services as Record<string, any>;

  it('MySQL 8 and NATS with JetStream, pinned', () => {
    expect(services.mysql.image).toMatch(/^mysql:8\.\d+\.\d+$/);
    expect(services.nats.image).toMatch(/^nats:2\.\d+\.\d+(-alpine)?$/);
    expect(services.nats.command).toContain('--jetstream');
  });

  it('migrations run once, before the services: one-shot services whose success gms and ucs wait for', () => {
    for (const app of ['gms', 'ucs']) {
      const migrate = services[`${app}-migrate`];
      expect(migrate.command).toEqual(['node', 'migrate.js']);
      expect(migrate.restart).toBe('no');
      expect(migrate.image).toBe(services[app].image);
      expect(services[app].depends_on[`${app}-migrate`]).toEqual({
        condition: 'service_completed_successfully',
      });
      expect(services[app].environment[`${app.toUpperCase()}_MIGRATE_ON_START`]).toBe('false');
    }
    expect(Object.keys(services.gateway.depends_on).sort()).toEqual(['gms', 'ucs']);
  });

  it('each app image is built from docker/Dockerfile with its APP, runs read-only without capabilities', () => {
    for (const app of ['gateway', 'gms', 'ucs']) {
      expect(services[app].build).toEqual({
        context: '..',
        dockerfile: 'docker/Dockerfile',
        args: { APP: app },
      });
      expect(services[app].image).toMatch(
        new RegExp(`^context-services/${app}:\\$\\{CS_VERSION:-\\d+\\.\\d+\\.\\d+\\}$`),
      );
      expect(services[app].read_only).toBe(true);
      expect(services[app].cap_drop).toEqual(['ALL']);
    }
  });

  it("the apps' environment uses only variables they read", () => {
    for (const app of ['gateway', 'gms', 'ucs']) {
      const known = knownEnvNames(app);
      const unknown = Object.keys(services[app].environment).filter((name) => !known.has(name));
      expect({ app, unknown }).toEqual({ app, unknown: [] });
    }
    expect(Object.keys(services['gms-migrate'].environment).every((n) => knownEnvNames('gms').has(n))).toBe(
      true,
    );
    expect(Object.keys(services['ucs-migrate'].environment).every((n) => knownEnvNames('ucs').has(n))).toBe(
      true,
    );
  });

  it('only the gateway publishes a port', () => {
    const published = Object.entries(services)
      .filter(([, service]) => service.ports)
      .map(([name]) => name);
    expect(published).toEqual(['gateway']);
  });
});
