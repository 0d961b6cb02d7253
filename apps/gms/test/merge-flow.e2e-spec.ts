import request from 'supertest';
import {
  dropDatabases,
  freePort,
  inProcessEnv,
  spawnApp,
  testBackends,
  waitFor,
  type RunningApp,
} from '@cs/testing';
import { startGms, type StartedGms } from './start-gms';

const BASE = '/genesys/1/cs';

/**
 * ARCHITECTURE §6 flow 3 end to end: a merge in ucs (spec ucs §4.8) reaches gms through ucs's outbox
 * relay (JetStream, or `cs.events.deliver` in the embedded mode) and the source's services follow.
 */
describe.each(testBackends().map((b) => [b.name, b] as const))(
  'profile merge across ucs and gms (%s)',
  (_, backend) => {
    let env: Record<string, string>;
    let gms: StartedGms;
    let ucs: RunningApp;

    beforeAll(async () => {
      env = await inProcessEnv(backend);
      gms = await startGms(backend, env);
      const port = await freePort();
      ucs = await spawnApp('ucs', port, {
        ...env,
        UCS_PORT: String(port),
        UCS_HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      });
    }, 60000);

    afterAll(async () => {
      await ucs?.stop();
      await gms?.close();
      if (env) await dropDatabases([env.UCS_DATABASE_URL]);
    });

    async function createProfile(name: string): Promise<string> {
      const res = await request(ucs.url).post(`${BASE}/profiles`).send({ FirstName: name });
      expect(res.status).toBe(201);
      return (res.body as { customer_id: string }).customer_id;
    }

    async function startService(customerId: string): Promise<string> {
      const res = await request(gms.url).post(`${BASE}/services/start`).send({ customer_id: customerId });
      expect(res.status).toBe(201);
      return (res.body as { service_id: string }).service_id;
    }

    async function servicesOf(customerId: string): Promise<string[]> {
      const res = await request(gms.url).get(`${BASE}/customers/${customerId}/services`);
      expect(res.status).toBe(200);
      return (res.body as { service_id: string }[]).map((s) => s.service_id).sort();
    }

    it('§6 flow 3: after PUT /profiles/{dst}/merge/{src}, GET /customers/{dst}/services lists the source’s services', async () => {
      const [dst, src] = [await createProfile('Dst'), await createProfile('Src')];
      const own = await startService(dst);
      const moved = [await startService(src), await startService(src)];
      const merge = await request(ucs.url).put(`${BASE}/profiles/${dst}/merge/${src}`).send({});
      expect(merge.status).toBe(204);
      const expected = [own, ...moved].sort();
      await waitFor(
        async () => JSON.stringify(await servicesOf(dst)) === JSON.stringify(expected),
        20000,
        () => `the services of ${src} did not move to ${dst}:\n${ucs.output()}`,
      );
      expect(await servicesOf(src)).toEqual([]);
    }, 60000);
  },
);
