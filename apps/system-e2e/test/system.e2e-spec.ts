import {
  dropDatabases,
  expectErrorResponse,
  freePort,
  queryDatabase,
  spawnApp,
  testBackends,
  waitFor,
  type RunningApp,
} from '@cs/testing';

/**
 * The whole system as `npm start` runs it: gms, ucs and the gateway as three processes, through the
 * gateway only, in the embedded mode and against MariaDB + NATS.
 */
describe.each(testBackends().map((b) => [b.name, b] as const))(
  'system through the gateway (%s)',
  (_, backend) => {
    const base = '/genesys/1/cs';
    let env: Record<string, string>;
    let gms: RunningApp;
    let ucs: RunningApp;
    let gateway: RunningApp;

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
      };
      [gms, ucs] = await Promise.all([spawnApp('gms', gmsPort, env), spawnApp('ucs', ucsPort, env)]);
      gateway = await spawnApp('gateway', gatewayPort, env);
    });

    afterAll(async () => {
      await Promise.all([gateway, gms, ucs].filter(Boolean).map((app) => app.stop()));
      await dropDatabases([env.GMS_DATABASE_URL, env.UCS_DATABASE_URL]);
    });

    const call = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
      fetch(`${gateway.url}${path}`, {
        method,
        body,
        headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
      });

    it('starts a service and reads it back', async () => {
      const started = await call(
        'POST',
        `${base}/services/start`,
        JSON.stringify({ contact_key: '+33155550123', Menu: { a: 1 } }),
      );
      expect(started.status).toBe(201);
      const { service_id } = (await started.json()) as { service_id: string };
      expect(service_id).toMatch(/^[0-9]{1,9}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(started.headers.get('x-request-id')).toBeTruthy();

      const read = await call('GET', `${base}/services/${service_id}?extensions=Menu`);
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject({ service_id, contact_key: '+33155550123', Menu: { a: 1 } });
    });

    it('creates a profile and reads it back', async () => {
      const created = await call(
        'POST',
        `${base}/profiles`,
        JSON.stringify({ FirstName: 'Maria', EmailAddress: ['a@x.org', 'b@x.org'] }),
      );
      expect(created.status).toBe(201);
      const { customer_id } = (await created.json()) as { customer_id: string };
      const read = await call('GET', `${base}/profiles/${customer_id}`);
      expect(await read.json()).toEqual({
        customer_id,
        FirstName: 'Maria',
        EmailAddress: ['a@x.org', 'b@x.org'],
      });
    });

    it('delivers cs.gms.service.started (with an interaction) to ucs exactly once per service', async () => {
      const before = await processedCount();
      for (let i = 0; i < 3; i++) {
        expect(
          (
            await call(
              'POST',
              `${base}/services/start`,
              JSON.stringify({ customer_id: `c${i}`, interaction_id: `sys-${Date.now()}-${i}` }),
            )
          ).status,
        ).toBe(201);
      }
      await waitFor(
        async () => (await processedCount()) >= before + 3,
        10000,
        () => 'events did not reach ucs',
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await processedCount()).toBe(before + 3);
    });

    it.each([
      ['unknown route', 'GET', `${base}/nowhere`, undefined, {}, 404, 'ROUTE_NOT_FOUND'],
      ['malformed JSON', 'POST', `${base}/services/start`, '{"contact_key":', {}, 400, 'MALFORMED_JSON'],
      [
        'non-JSON body',
        'POST',
        `${base}/profiles`,
        'x',
        { 'Content-Type': 'text/plain' },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'oversize body',
        'POST',
        `${base}/services/start`,
        JSON.stringify({ contact_key: 'k', big: 'x'.repeat(1024 * 1024) }),
        {},
        413,
        'PAYLOAD_TOO_LARGE',
      ],
    ] as const)(
      'answers %s with the unified error body',
      async (_name, method, path, body, headers, status, code) => {
        expectErrorResponse(await asResponse(call(method, path, body, headers)), {
          status,
          code,
          method,
          uri: path,
        });
      },
    );

    it('answers 503 with the unified body when an upstream is down, and stops cleanly on SIGINT', async () => {
      expect(await ucs.stop('SIGINT')).toBe(0);
      expectErrorResponse(await asResponse(call('GET', `${base}/profiles/abc`)), {
        status: 503,
        code: 'UPSTREAM_UNAVAILABLE',
        method: 'GET',
        uri: `${base}/profiles/abc`,
      });
    });

    /** A fetch answer in the shape the assertion helpers take. */
    async function asResponse(pending: Promise<Response>) {
      const res = await pending;
      return {
        status: res.status,
        body: (await res.json()) as unknown,
        headers: Object.fromEntries(res.headers),
      };
    }

    async function processedCount(): Promise<number> {
      const [row] = await queryDatabase<{ n: number | string }>(
        env.UCS_DATABASE_URL,
        "SELECT COUNT(*) AS n FROM processed_events WHERE subject = 'cs.gms.service.started'",
      );
      return Number(row.n);
    }
  },
);
