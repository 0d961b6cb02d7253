import { randomBytes } from 'node:crypto';
import {
  dropDatabases,
  freePort,
  queryDatabase,
  spawnApp,
  testBackends,
  waitFor,
  type RunningApp,
} from '@cs/testing';

const BASE = '/genesys/1/cs';
/** Issue 5: "with ucs stopped for 30 s while gms keeps taking writes, ucs catches up after restart". */
const UCS_OUTAGE_MS = 30_000;
const GMS_OUTAGE_MS = 8_000;

interface InteractionRow {
  interaction_id: string;
  customer_id: string | null;
  service_id: string;
  end_date: string | number | null;
}

/**
 * One service down while the other keeps taking writes, then back: every flow of ARCHITECTURE §6 has
 * its effect once the stopped service returns, with nothing lost (the outbox keeps what the transport
 * could not deliver). ucs down → flows 1 and 2 (interactions recorded, moved to the associated
 * customer, ended); gms down → flow 3 (a merge moves the source's services).
 */
describe.each(testBackends().map((b) => [b.name, b] as const))(
  'catch-up after an outage (%s)',
  (_, backend) => {
    let env: Record<string, string>;
    const apps: Partial<Record<'gms' | 'ucs' | 'gateway', RunningApp>> = {};
    const ports: Record<'gms' | 'ucs' | 'gateway', number> = { gms: 0, ucs: 0, gateway: 0 };
    const run = randomBytes(3).toString('hex');

    beforeAll(async () => {
      const [gms, ucs, gateway, gmsTcp, ucsTcp] = await Promise.all([1, 2, 3, 4, 5].map(() => freePort()));
      Object.assign(ports, { gms, ucs, gateway });
      env = {
        ...backend.env(),
        GMS_PORT: String(gms),
        UCS_PORT: String(ucs),
        GATEWAY_PORT: String(gateway),
        GMS_TCP_PORT: String(gmsTcp),
        UCS_TCP_PORT: String(ucsTcp),
        GMS_URL: `http://127.0.0.1:${gms}`,
        UCS_URL: `http://127.0.0.1:${ucs}`,
      };
      [apps.gms, apps.ucs] = await Promise.all([spawnApp('gms', gms, env), spawnApp('ucs', ucs, env)]);
      apps.gateway = await spawnApp('gateway', gateway, env);
    }, 60_000);

    afterAll(async () => {
      await Promise.all(Object.values(apps).map((app) => app?.stop()));
      if (env) await dropDatabases([env.GMS_DATABASE_URL, env.UCS_DATABASE_URL]);
    });

    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${apps.gateway?.url}${BASE}${path}`, {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    };

    const restart = async (name: 'gms' | 'ucs') => {
      apps[name] = await spawnApp(name, ports[name], env);
    };

    it('ucs down for 30 s while gms takes writes: every interaction is recorded, associated and ended once', async () => {
      const customer = await call('POST', '/profiles', { FirstName: `CatchUp ${run}` });
      expect(customer.status).toBe(201);
      const customerId = customer.body.customer_id as string;

      expect(await apps.ucs?.stop('SIGKILL')).toBeNull();
      const written: { interactionId: string; serviceId: string; associated: boolean; ended: boolean }[] = [];
      const until = Date.now() + UCS_OUTAGE_MS;
      for (let n = 0; Date.now() < until; n++) {
        const interactionId = `cu-${run}-${n}`;
        const started = await call('POST', '/services/start', {
          contact_key: `+331555${n}`,
          interaction_id: interactionId,
        });
        expect(started.status).toBe(201);
        const serviceId = started.body.service_id as string;
        const associated = n % 3 === 0;
        const ended = n % 4 === 0;
        if (associated)
          expect((await call('POST', `/customers/${customerId}/services/${serviceId}`, {})).status).toBe(204);
        if (ended) expect((await call('POST', `/services/${serviceId}/end`, {})).status).toBe(204);
        written.push({ interactionId, serviceId, associated, ended });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // ucs is down: its own API answers 503 through the gateway, gms's kept answering above.
      expect((await call('GET', `/profiles/${customerId}`)).status).toBe(503);
      expect(written.length).toBeGreaterThan(50);

      await restart('ucs');
      const expected = (w: (typeof written)[number]) => ({
        service_id: w.serviceId,
        customer_id: w.associated ? customerId : null,
        ended: w.ended,
      });
      let rows = new Map<string, InteractionRow[]>();
      await waitFor(
        async () => {
          rows = await interactionRows(`cu-${run}-`);
          return written.every((w) => {
            const found = rows.get(w.interactionId);
            if (found?.length !== 1) return false;
            const { service_id, customer_id, end_date } = found[0];
            return (
              JSON.stringify({ service_id, customer_id, ended: end_date !== null }) ===
              JSON.stringify(expected(w))
            );
          });
        },
        60_000,
        () => {
          const wrong = written.filter((w) => rows.get(w.interactionId)?.length !== 1).length;
          return `ucs did not catch up: ${wrong} of ${written.length} interactions missing or doubled`;
        },
      );

      // Through the API as a client sees it: the associated ones under the customer.
      const listed = await call('GET', `/customers/${customerId}/interactions`);
      expect(listed.status).toBe(200);
      const ids = JSON.stringify(listed.body);
      for (const w of written.filter((x) => x.associated)) expect(ids).toContain(w.interactionId);
    }, 180_000);

    it('gms down while ucs merges profiles: the source’s services move to the destination once gms is back', async () => {
      const [dst, src] = await Promise.all(
        ['Dst', 'Src'].map(
          async (name) =>
            (await call('POST', '/profiles', { FirstName: `${name} ${run}` })).body.customer_id as string,
        ),
      );
      const moved: string[] = [];
      for (let i = 0; i < 3; i++) {
        const started = await call('POST', '/services/start', { customer_id: src });
        expect(started.status).toBe(201);
        moved.push(started.body.service_id as string);
      }

      expect(await apps.gms?.stop('SIGKILL')).toBeNull();
      expect((await call('PUT', `/profiles/${dst}/merge/${src}`, {})).status).toBe(204);
      await new Promise((resolve) => setTimeout(resolve, GMS_OUTAGE_MS));
      await restart('gms');

      const servicesOf = async (customerId: string) => {
        const res = await call('GET', `/customers/${customerId}/services`);
        expect(res.status).toBe(200);
        return (res.body as unknown as { service_id: string }[]).map((s) => s.service_id).sort();
      };
      await waitFor(
        async () => JSON.stringify(await servicesOf(dst)) === JSON.stringify([...moved].sort()),
        60_000,
        () => `the services of ${src} did not move to ${dst} after gms came back`,
      );
      expect(await servicesOf(src)).toEqual([]);
    }, 120_000);

    async function interactionRows(prefix: string): Promise<Map<string, InteractionRow[]>> {
      const rows = await queryDatabase<InteractionRow>(
        env.UCS_DATABASE_URL,
        'SELECT interaction_id, customer_id, service_id, end_date FROM interactions WHERE interaction_id LIKE ?',
        [`${prefix}%`],
      );
      const byId = new Map<string, InteractionRow[]>();
      for (const row of rows) byId.set(row.interaction_id, [...(byId.get(row.interaction_id) ?? []), row]);
      return byId;
    }
  },
);
