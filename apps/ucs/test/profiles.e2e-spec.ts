import request from 'supertest';
import { DataSource } from 'typeorm';
import { expectErrorResponse, testBackends } from '@cs/testing';
import { startUcs, type StartedUcs } from './start-ucs';

const BASE = '/genesys/1/cs';
/** Spelled out (spec §2.7 example) rather than imported, so that a wrong constant in the app fails here. */
const UCS_EXCEPTION = 'com.genesyslab.cs.ucs.ProfileException';
const MAX_BODY_BYTES = 1024 * 1024;
const PROFILES = `${BASE}/profiles`;
const CUSTOMER_ID = /^[0-9A-Za-z]{16}$/;

type Headers = Record<string, string>;
type Matcher = string | ReturnType<typeof expect.stringContaining>;

/** The unified error body (ARCHITECTURE §5) with the UCS codes (spec §2.7); messages are not asserted verbatim. */
function expectError(
  res: request.Response,
  status: number,
  code: string,
  method: string,
  uri: string,
  message?: Matcher,
): void {
  expectErrorResponse(res, { status, code, method, uri, message, exception: UCS_EXCEPTION });
}

const contains = (text: string) => expect.stringContaining(text);

describe.each(testBackends().map((b) => [b.name, b] as const))('ucs profiles (%s)', (_, backend) => {
  let ucs: StartedUcs;

  beforeAll(async () => {
    ucs = await startUcs(backend);
  });

  afterAll(async () => {
    await ucs?.close();
  });

  const post = (body: unknown, headers: Headers = {}, path = PROFILES) => {
    const req = request(ucs.url).post(path).set(headers);
    return typeof body === 'string'
      ? req.set('Content-Type', 'application/json').send(body)
      : req.send(body as object);
  };
  const get = (path: string, headers: Headers = {}) => request(ucs.url).get(path).set(headers);

  async function create(body: Record<string, unknown>, headers: Headers = {}): Promise<string> {
    const res = await post(body, headers);
    expect(res.status).toBe(201);
    return (res.body as { customer_id: string }).customer_id;
  }

  async function countProfiles(tenant: string): Promise<number> {
    const rows = (await ucs.app
      .get(DataSource)
      .query('SELECT COUNT(*) AS n FROM profiles WHERE tenant = ?', [tenant])) as {
      n: number | string;
    }[];
    return Number(rows[0].n);
  }

  describe('POST /profiles (spec §4.1)', () => {
    it('answers 201 with exactly {customer_id} of 16 [0-9A-Za-z] and a Location header', async () => {
      const res = await post({ FirstName: 'Maria', LastName: 'Silva' });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body as object)).toEqual(['customer_id']);
      const { customer_id } = res.body as { customer_id: string };
      expect(customer_id).toMatch(CUSTOMER_ID);
      expect(res.headers.location).toBe(`${PROFILES}/${customer_id}`);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
    });

    it('generates a different id for every profile', async () => {
      const ids = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => create({ FirstName: `F${i}` })));
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('ignores a customer_id in the body', async () => {
      const res = await post({ customer_id: 'MYOWNID000000001', FirstName: 'Ann' });
      expect(res.status).toBe(201);
      const { customer_id } = res.body as { customer_id: string };
      expect(customer_id).not.toBe('MYOWNID000000001');
      expect((await get(`${PROFILES}/${customer_id}`)).body).toEqual({ customer_id, FirstName: 'Ann' });
      expectError(
        await get(`${PROFILES}/MYOWNID000000001`),
        404,
        'PROFILE_NOT_FOUND',
        'GET',
        `${PROFILES}/MYOWNID000000001`,
      );
    });

    it('accepts a trailing slash (spec §2.1)', async () => {
      const res = await post({ FirstName: 'Slash' }, {}, `${PROFILES}/`);
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`${PROFILES}/${(res.body as { customer_id: string }).customer_id}`);
    });
  });

  describe('GET /profiles/{id} (spec §4.3, §3.1, §3.2)', () => {
    it('returns every core attribute in schema casing; one value scalar, several an array primary first; DOB a date', async () => {
      const id = await create({
        firstname: 'Maria',
        LASTNAME: ['Silva'],
        EmailAddress: ['maria.silva@example.org', 'msilva@work.example', 'm@x.example'],
        phonenumber: '+33155550123',
        dob: '1962-05-10',
      });
      const res = await get(`${PROFILES}/${id}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({
        customer_id: id,
        FirstName: 'Maria',
        LastName: 'Silva',
        EmailAddress: ['maria.silva@example.org', 'msilva@work.example', 'm@x.example'],
        PhoneNumber: '+33155550123',
        DOB: '1962-05-10',
      });
    });

    it('omits attributes without a value (null or [])', async () => {
      const id = await create({ Title: 'Dr', FirstName: null, EmailAddress: [] });
      expect((await get(`${PROFILES}/${id}`)).body).toEqual({ customer_id: id, Title: 'Dr' });
    });

    it('follows the Location header to the profile', async () => {
      const res = await post({ Title: 'Mr' });
      const read = await get(res.headers.location as string);
      expect(read.status).toBe(200);
      expect(read.body).toEqual({
        customer_id: (res.body as { customer_id: string }).customer_id,
        Title: 'Mr',
      });
    });

    it('answers an unknown profile with 404 PROFILE_NOT_FOUND', async () => {
      expectError(
        await get(`${PROFILES}/0000000000000000?x=1`),
        404,
        'PROFILE_NOT_FOUND',
        'GET',
        `${PROFILES}/0000000000000000`,
      );
    });

    it('compares customer ids case-sensitively (spec §2.5)', async () => {
      const id = await create({ FirstName: 'Case' });
      const other = id === id.toLowerCase() ? id.toUpperCase() : id.toLowerCase();
      if (other !== id)
        expectError(
          await get(`${PROFILES}/${other}`),
          404,
          'PROFILE_NOT_FOUND',
          'GET',
          `${PROFILES}/${other}`,
        );
    });

    it('answers an unknown extension in extensions= with 400 UNKNOWN_EXTENSION (spec §4.3)', async () => {
      const id = await create({ FirstName: 'Ext' });
      expectError(
        await get(`${PROFILES}/${id}?extensions=Devices`),
        400,
        'UNKNOWN_EXTENSION',
        'GET',
        `${PROFILES}/${id}`,
        contains('Devices'),
      );
    });

    it('checks the profile before the extensions (404 first)', async () => {
      expectError(
        await get(`${PROFILES}/0000000000000000?extensions=Devices`),
        404,
        'PROFILE_NOT_FOUND',
        'GET',
        `${PROFILES}/0000000000000000`,
      );
    });
  });

  describe('validation (spec §4.1 errors, §2.4)', () => {
    it.each([
      [
        'an unknown attribute next to a valid one',
        { FirstName: 'a', Nickname: 'x' },
        'UNKNOWN_ATTRIBUTE',
        contains('Nickname'),
      ],
      [
        'an extension that is not defined',
        { FirstName: 'a', Devices: [{ serial: 'SN-1' }] },
        'UNKNOWN_ATTRIBUTE',
        contains('Devices'),
      ],
      ['an empty object', {}, 'MISSING_PARAMETER', expect.any(String)],
      ['only a customer_id', { customer_id: 'X' }, 'MISSING_PARAMETER', expect.any(String)],
      [
        'only attributes without value',
        { FirstName: null, EmailAddress: [] },
        'MISSING_PARAMETER',
        expect.any(String),
      ],
      [
        'only an unknown attribute (no attribute with a value is listed first)',
        { Nickname: 'x' },
        'MISSING_PARAMETER',
        expect.any(String),
      ],
      ['a bad date', { FirstName: 'a', DOB: '1962-13-10' }, 'INVALID_ATTRIBUTE_VALUE', contains('DOB')],
      [
        'an impossible date',
        { FirstName: 'a', DOB: '1962-02-30' },
        'INVALID_ATTRIBUTE_VALUE',
        contains('DOB'),
      ],
      [
        'a date-time for a date',
        { FirstName: 'a', DOB: '1962-05-10T00:00:00.000Z' },
        'INVALID_ATTRIBUTE_VALUE',
        contains('DOB'),
      ],
      [
        'a Genesys-style malformed date',
        { FirstName: 'a', DOB: '1962-May-10' },
        'INVALID_ATTRIBUTE_VALUE',
        contains('DOB'),
      ],
      [
        'a number for a string attribute',
        { FirstName: 42 },
        'INVALID_ATTRIBUTE_VALUE',
        contains('FirstName'),
      ],
      [
        'a bad secondary value',
        { EmailAddress: ['a@x.org', { v: 1 }] },
        'INVALID_ATTRIBUTE_VALUE',
        contains('EmailAddress'),
      ],
      ['an array body', [{ FirstName: 'a' }], 'MALFORMED_JSON', expect.any(String)],
      ['a JSON string body', '"FirstName"', 'MALFORMED_JSON', expect.any(String)],
      ['malformed JSON', '{"FirstName": "a",', 'MALFORMED_JSON', expect.any(String)],
    ])('rejects %s with 400', async (_name, body, code, message) => {
      expectError(await post(body), 400, code, 'POST', PROFILES, message);
    });

    it('answers a text/plain body with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      const res = await request(ucs.url).post(PROFILES).set('Content-Type', 'text/plain').send('FirstName=a');
      expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'POST', PROFILES);
    });

    it('answers a body over 1 MiB with 413', async () => {
      const res = await post(JSON.stringify({ FirstName: 'x'.repeat(MAX_BODY_BYTES) }));
      expectError(res, 413, 'PAYLOAD_TOO_LARGE', 'POST', PROFILES);
    });

    it('stores nothing when a request fails', async () => {
      const tenant = String(700000 + Math.floor(Math.random() * 100000));
      const headers = { 'X-Genesys-TenantId': tenant };
      for (const body of [
        { FirstName: 'a', Nickname: 'x' },
        { FirstName: 'a', DOB: 'bad' },
        {},
        [{ FirstName: 'a' }],
      ]) {
        expect((await post(body, headers)).status).toBe(400);
      }
      expect(await countProfiles(tenant)).toBe(0);
      await create({ FirstName: 'a' }, headers);
      expect(await countProfiles(tenant)).toBe(1);
    });
  });

  describe('routing errors (spec §2.7)', () => {
    it('answers an unknown route with 404 ROUTE_NOT_FOUND', async () => {
      const path = `${PROFILES}/abc/nowhere`;
      expectError(await get(`${path}?x=1`), 404, 'ROUTE_NOT_FOUND', 'GET', path);
    });

    it('answers a known path with another method with 405 METHOD_NOT_ALLOWED and Allow', async () => {
      const res = await request(ucs.url).patch(`${PROFILES}/abc`).send({ FirstName: 'a' });
      expectError(res, 405, 'METHOD_NOT_ALLOWED', 'PATCH', `${PROFILES}/abc`);
      expect(res.headers.allow).toMatch(/\bGET\b/);
    });
  });

  describe('tenancy (ARCHITECTURE §5, spec §2.10)', () => {
    it('keeps a profile of tenant 101 invisible to tenant 102 and to the default tenant', async () => {
      const id = await create({ FirstName: 'T101' }, { 'X-Genesys-TenantId': '101' });
      expect((await get(`${PROFILES}/${id}`, { 'X-Genesys-TenantId': '101' })).body).toEqual({
        customer_id: id,
        FirstName: 'T101',
      });
      expect((await get(`${PROFILES}/${id}`, { ContactCenterId: '101' })).status).toBe(200);
      expectError(
        await get(`${PROFILES}/${id}`, { 'X-Genesys-TenantId': '102' }),
        404,
        'PROFILE_NOT_FOUND',
        'GET',
        `${PROFILES}/${id}`,
      );
      expectError(await get(`${PROFILES}/${id}`), 404, 'PROFILE_NOT_FOUND', 'GET', `${PROFILES}/${id}`);
    });

    it('answers a non-integer X-Genesys-TenantId with 400 INVALID_TENANT', async () => {
      const res = await post({ FirstName: 'a' }, { 'X-Genesys-TenantId': 'acme' });
      expectError(res, 400, 'INVALID_TENANT', 'POST', PROFILES, contains('X-Genesys-TenantId'));
    });

    it('answers different tenants in both headers with 400 INVALID_TENANT', async () => {
      const res = await get(`${PROFILES}/x`, { 'X-Genesys-TenantId': '101', ContactCenterId: '102' });
      expectError(res, 400, 'INVALID_TENANT', 'GET', `${PROFILES}/x`);
    });
  });

  describe('profile schema from configuration (spec §3.2)', () => {
    let custom: StartedUcs;

    beforeAll(async () => {
      custom = await startUcs(backend, {
        CS_PROFILE_SCHEMA: JSON.stringify([
          { name: 'Nick' },
          { name: 'Born', type: 'datetime' },
          { name: 'Joined', type: 'date' },
        ]),
      });
    });

    afterAll(async () => {
      await custom?.close();
    });

    it('uses the configured attributes and normalises date-times to UTC milliseconds Z (spec §2.4)', async () => {
      const res = await request(custom.url)
        .post(PROFILES)
        .send({ nick: ['Mimi', 'M'], born: '1981-03-17T04:00:00+02:00', Joined: '2015-04-01' });
      expect(res.status).toBe(201);
      const { customer_id } = res.body as { customer_id: string };
      expect((await request(custom.url).get(`${PROFILES}/${customer_id}`)).body).toEqual({
        customer_id,
        Nick: ['Mimi', 'M'],
        Born: '1981-03-17T02:00:00.000Z',
        Joined: '2015-04-01',
      });
    });

    it('rejects the default attributes that the configuration does not list', async () => {
      expectError(
        await request(custom.url).post(PROFILES).send({ Nick: 'a', FirstName: 'x' }),
        400,
        'UNKNOWN_ATTRIBUTE',
        'POST',
        PROFILES,
        contains('FirstName'),
      );
    });

    it('rejects a malformed date-time', async () => {
      const res = await request(custom.url).post(PROFILES).send({ Nick: 'a', Born: '1981-03-17 02:00' });
      expectError(res, 400, 'INVALID_ATTRIBUTE_VALUE', 'POST', PROFILES, contains('Born'));
    });
  });

  describe('empty profile schema (CS_PROFILE_SCHEMA=[])', () => {
    let empty: StartedUcs;

    beforeAll(async () => {
      empty = await startUcs(backend, { CS_PROFILE_SCHEMA: '[]' });
    });

    afterAll(async () => {
      await empty?.close();
    });

    it('answers a create with 403 PROFILE_SCHEMA_UNDEFINED', async () => {
      expectError(
        await request(empty.url).post(PROFILES).send({ FirstName: 'a' }),
        403,
        'PROFILE_SCHEMA_UNDEFINED',
        'POST',
        PROFILES,
      );
    });

    it('checks the schema before the body (403 first)', async () => {
      expectError(
        await request(empty.url).post(PROFILES).send([1]),
        403,
        'PROFILE_SCHEMA_UNDEFINED',
        'POST',
        PROFILES,
      );
    });
  });

  describe('operations', () => {
    it('answers /health/live and /health/ready', async () => {
      // The service's own health endpoints (the gateway's /health aggregates both services).
      expect((await request(ucs.directUrl).get('/health/live')).status).toBe(200);
      const ready = await request(ucs.directUrl).get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ok', database: 'up', transport: 'up' });
    });

    it('serves the OpenAPI document with the profile operations', async () => {
      const paths = (await request(ucs.directUrl).get('/openapi.json')).body.paths as Record<
        string,
        Record<string, unknown>
      >;
      expect(paths[PROFILES]?.post).toBeDefined();
      expect(paths[`${PROFILES}/{customer_id}`]?.get).toBeDefined();
    });
  });
});
