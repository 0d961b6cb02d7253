import request from 'supertest';
import { DataSource } from 'typeorm';
import { EventSubjects } from '@cs/contracts';
import { expectErrorResponse, testBackends, waitFor } from '@cs/testing';
import { startGms, type StartedGms } from './start-gms';
import { listenForEvents, rawPost, type EventListener } from './support';

const BASE = '/genesys/1/cs';
/** Spelled out from spec §2.9 rather than imported, so that a wrong constant in the app fails here. */
const GMS_EXCEPTION =
  'com.genesyslab.gsg.services.contextservices.exceptions.ContextServicesExceptionResource';
const GMS_NOT_FOUND_EXCEPTION = 'com.genesyslab.gsg.services.contextservices.exceptions.NotFoundException';
/** The body limit of spec §2.11. */
const MAX_BODY_BYTES = 1024 * 1024;
const START = `${BASE}/services/start`;
const SERVICE_ID = /^[0-9]{1,9}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MS_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MISSING_ID = "Missing mandatory field 'customer_id' or 'contact_key'";
const NO_TENANT =
  "Invalid tenant specified : no tenant specified in multi-tenant environment. Verify configuration and 'ContactCenterId' HTTP header.";

type Headers = Record<string, string>;
type Matcher = string | ReturnType<typeof expect.stringContaining>;

/** The unified error body (ARCHITECTURE §5) with the GMS `exception` values (spec §2.9). */
interface ExpectedError {
  status: number;
  code: string;
  method: string;
  uri: string;
  message: Matcher;
  exception?: string;
}

function expectError(res: request.Response, expected: ExpectedError): void {
  expectErrorResponse(res, { ...expected, exception: expected.exception ?? GMS_EXCEPTION });
}

const notFound = (
  method: string,
  serviceId: string,
  uri = `${BASE}/services/${serviceId}`,
): ExpectedError => ({
  status: 400,
  code: 'SERVICE_NOT_FOUND',
  method,
  uri,
  message: `There are no service found for : ${serviceId}`,
  exception: GMS_NOT_FOUND_EXCEPTION,
});

const contains = (text: string) => expect.stringContaining(text);

/** Bodies that Start Service must reject with 400 (spec §4.1 step 1, §2.4, §2.7, §2.11). */
const INVALID_STARTS: [string, unknown, string, Matcher][] = [
  ['no customer_id nor contact_key', { service_type: 'PasswordReset', Foo: 1 }, 'MISSING_FIELD', MISSING_ID],
  ['an empty body object', {}, 'MISSING_FIELD', MISSING_ID],
  ['a blank customer_id', { customer_id: '   ' }, 'INVALID_VALUE', contains("'customer_id'")],
  ['a blank contact_key', { contact_key: '' }, 'INVALID_VALUE', contains("'contact_key'")],
  [
    'a customer_id over 256 characters',
    { customer_id: 'c'.repeat(257) },
    'FIELD_TOO_LONG',
    contains("'customer_id'"),
  ],
  ['a customer_id that is an object', { customer_id: { id: 1 } }, 'INVALID_VALUE', contains("'customer_id'")],
  [
    'a session_id over 32 characters',
    { customer_id: 'c', session_id: 's'.repeat(33) },
    'FIELD_TOO_LONG',
    contains("'session_id'"),
  ],
  [
    'an interaction_id over 50 characters',
    { customer_id: 'c', interaction_id: 'i'.repeat(51) },
    'FIELD_TOO_LONG',
    contains("'interaction_id'"),
  ],
  [
    'a malformed timestamp',
    { customer_id: 'c', timestamp: '2016-Dec-05T10:00:00.000Z' },
    'INVALID_VALUE',
    contains("'timestamp'"),
  ],
  [
    'a timestamp without zone',
    { customer_id: 'c', timestamp: '2016-12-05T10:00:00.000' },
    'INVALID_VALUE',
    contains("'timestamp'"),
  ],
  [
    'an impossible timestamp',
    { customer_id: 'c', timestamp: '2016-02-30T10:00:00.000Z' },
    'INVALID_VALUE',
    contains("'timestamp'"),
  ],
  [
    'an epoch-number timestamp',
    { customer_id: 'c', timestamp: 1480932000000 },
    'INVALID_VALUE',
    contains("'timestamp'"),
  ],
  ['ttl 0', { customer_id: 'c', ttl: 0 }, 'INVALID_VALUE', contains("'ttl'")],
  ['a negative ttl', { customer_id: 'c', ttl: -5 }, 'INVALID_VALUE', contains("'ttl'")],
  [
    'an expiration_time in the past',
    { customer_id: 'c', expiration_time: '2001-01-01T00:00:00.000Z' },
    'INVALID_VALUE',
    contains("'expiration_time'"),
  ],
  [
    'application_id "abc"',
    { customer_id: 'c', application_id: 'abc' },
    'INVALID_VALUE',
    contains("'application_id'"),
  ],
  [
    'application_id 2^31',
    { customer_id: 'c', application_id: 2 ** 31 },
    'INVALID_VALUE',
    contains("'application_id'"),
  ],
  [
    'a negative application_id',
    { customer_id: 'c', application_id: -1 },
    'INVALID_VALUE',
    contains("'application_id'"),
  ],
  [
    'a fractional resource_id',
    { customer_id: 'c', resource_id: 1.5 },
    'INVALID_VALUE',
    contains("'resource_id'"),
  ],
  [
    'a negative est_duration',
    { customer_id: 'c', est_duration: -1 },
    'INVALID_VALUE',
    contains("'est_duration'"),
  ],
  [
    'auto_complete_after 0',
    { customer_id: 'c', auto_complete_after: 0 },
    'INVALID_VALUE',
    contains("'auto_complete_after'"),
  ],
  [
    'a service_type that is an object',
    { customer_id: 'c', service_type: { a: 1 } },
    'INVALID_VALUE',
    contains("'service_type'"),
  ],
  ['an extension value null', { customer_id: 'c', Foo: null }, 'INVALID_VALUE', contains("'Foo'")],
  ['an empty extension name', { customer_id: 'c', '': 1 }, 'INVALID_EXTENSION_NAME', expect.any(String)],
  [
    'an extension name over 256 characters',
    { customer_id: 'c', ['E'.repeat(257)]: 1 },
    'INVALID_EXTENSION_NAME',
    contains('exceeds 256 characters'),
  ],
  ['an array body', [{ customer_id: 'c' }], 'MALFORMED_JSON', contains('Invalid JSON body')],
  ['a JSON string body', '"customer_id"', 'MALFORMED_JSON', contains('Invalid JSON body')],
];

describe.each(testBackends().map((b) => [b.name, b] as const))('gms services (%s)', (_, backend) => {
  let gms: StartedGms;

  beforeAll(async () => {
    gms = await startGms(backend);
  });

  afterAll(async () => {
    await gms?.close();
  });

  const post = (path: string, body: unknown, headers: Headers = {}) => {
    const req = request(gms.url).post(path).set(headers);
    return typeof body === 'string'
      ? req.set('Content-Type', 'application/json').send(body)
      : req.send(body as object);
  };
  const get = (path: string, headers: Headers = {}) => request(gms.url).get(path).set(headers);
  /**
   * A body over the limit: gms answers 413 without reading it all and closes the connection, so the
   * client's write can hit EPIPE/ECONNRESET before it reads the answer (a race of the client, not an
   * answer of the server): such an attempt is sent again, the answer itself is checked by the caller.
   */
  const postOversized = async (path: string, body: string, headers: Headers = {}) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await post(path, body, headers);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= 5 || (code !== 'EPIPE' && code !== 'ECONNRESET')) throw error;
      }
    }
  };

  async function start(body: Record<string, unknown>, headers: Headers = {}): Promise<string> {
    const res = await post(START, body, headers);
    expect(res.status).toBe(201);
    return (res.body as { service_id: string }).service_id;
  }

  async function countServices(tenant: string): Promise<number> {
    const rows = (await gms.app
      .get(DataSource)
      .query('SELECT COUNT(*) AS n FROM services WHERE tenant = ?', [tenant])) as {
      n: number | string;
    }[];
    return Number(rows[0].n);
  }

  describe('POST /services/start (spec §4.1)', () => {
    it('answers 201 with exactly {service_id}, a Location header and JSON', async () => {
      const res = await post(START, { contact_key: '+33155550123' });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body as object)).toEqual(['service_id']);
      const { service_id } = res.body as { service_id: string };
      expect(service_id).toMatch(SERVICE_ID);
      expect(res.headers.location).toBe(`${BASE}/services/${service_id}`);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
    });

    it('accepts customer_id alone and generates a new id each time', async () => {
      const ids = await Promise.all([1, 2, 3, 4, 5].map((i) => start({ customer_id: `CUST-${i}` })));
      for (const id of ids) expect(id).toMatch(SERVICE_ID);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('follows the Location header to the service', async () => {
      const res = await post(START, { customer_id: 'CUST-LOC' });
      const read = await get(res.headers.location as string);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        service_id: (res.body as { service_id: string }).service_id,
        customer_id: 'CUST-LOC',
      });
    });

    it('ignores a trailing slash (spec §2.1)', async () => {
      const res = await post(`${START}/`, { customer_id: 'CUST-SLASH' });
      expect(res.status).toBe(201);
      const { service_id } = res.body as { service_id: string };
      expect(res.headers.location).toBe(`${BASE}/services/${service_id}`);
      expect((await get(`${BASE}/services/${service_id}/`)).status).toBe(200);
    });

    it('parses a body without Content-Type as JSON (spec §2.2)', async () => {
      const res = await rawPost(gms.url, START, JSON.stringify({ customer_id: 'CUST-NOTYPE', Menu: 'a' }));
      expect(res.status).toBe(201);
      const { service_id } = JSON.parse(res.body) as { service_id: string };
      expect((await get(`${BASE}/services/${service_id}?extensions=Menu`)).body).toMatchObject({
        customer_id: 'CUST-NOTYPE',
        Menu: 'a',
      });
    });

    it('accepts a customer_id sent as a number and returns its string form (spec §2.11)', async () => {
      const id = await start({ customer_id: 12345 });
      expect((await get(`${BASE}/services/${id}`)).body).toMatchObject({ customer_id: '12345' });
    });

    it('accepts an extension name of 256 characters', async () => {
      const name = 'N'.repeat(256);
      const id = await start({ customer_id: 'c', [name]: { ok: true } });
      expect((await get(`${BASE}/services/${id}?extensions=${name}`)).body).toMatchObject({
        [name]: { ok: true },
      });
    });

    it.each([
      ['session_id', 's'.repeat(32)],
      ['interaction_id', 'i'.repeat(50)],
    ])('accepts a %s at its length limit', async (field, value) => {
      const id = await start({ customer_id: 'c', [field]: value });
      const read = await get(`${BASE}/services/${id}`);
      expect((read.body as { started: Record<string, unknown> }).started[field]).toBe(value);
    });
  });

  describe('GET /services/{id} representation (spec §3.9, §4.5)', () => {
    it('returns the stored fields; est_duration top-level; internal data never returned', async () => {
      const id = await start({
        customer_id: 'CUST-00018b9',
        contact_key: '+33155550123',
        service_type: 'PasswordReset',
        est_duration: 300,
        session_id: 'S-1',
        interaction_id: '00A1B2C3D4E5F601',
        media_type: 'voice',
        application_type: 'IVR',
        application_id: 211,
        resource_type: 7,
        resource_id: 12,
        timestamp: '2024-03-04T09:15:02.120Z',
        ttl: 3600,
        auto_complete_after: 1800,
        CallerChoices: { menu: 'account', language: 'fr' },
      });
      const res = await get(`${BASE}/services/${id}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({
        service_id: id,
        service_type: 'PasswordReset',
        customer_id: 'CUST-00018b9',
        contact_key: '+33155550123',
        est_duration: 300,
        started: {
          session_id: 'S-1',
          interaction_id: '00A1B2C3D4E5F601',
          media_type: 'voice',
          application_type: 'IVR',
          application_id: 211,
          resource_type: 7,
          resource_id: 12,
          timestamp: '2024-03-04T09:15:02.120Z',
        },
      });
    });

    it('returns an anonymous service without customer_id and a minimal started', async () => {
      const id = await start({ contact_key: 'K-1', timestamp: '2020-01-02T03:04:05.006Z' });
      const res = await get(`${BASE}/services/${id}`);
      expect(res.body).toEqual({
        service_id: id,
        contact_key: 'K-1',
        started: { timestamp: '2020-01-02T03:04:05.006Z' },
      });
    });

    it('defaults started.timestamp to the receive time, in the millisecond Z form', async () => {
      const before = Date.now();
      const id = await start({ customer_id: 'c' });
      const after = Date.now();
      const { started } = (await get(`${BASE}/services/${id}`)).body as { started: { timestamp: string } };
      expect(started.timestamp).toMatch(MS_Z);
      const at = Date.parse(started.timestamp);
      expect(at).toBeGreaterThanOrEqual(before);
      expect(at).toBeLessThanOrEqual(after);
    });

    it.each([
      ['a numeric offset', '2016-12-05T12:00:00.250+02:00', '2016-12-05T10:00:00.250Z'],
      ['a negative offset', '2016-12-05T05:30:00.000-04:30', '2016-12-05T10:00:00.000Z'],
      ['no milliseconds', '2016-12-05T10:00:00Z', '2016-12-05T10:00:00.000Z'],
      ['no milliseconds and an offset', '2016-12-06T01:00:00+01:00', '2016-12-06T00:00:00.000Z'],
      ['a future time (stored as given)', '2099-01-01T00:00:00.000Z', '2099-01-01T00:00:00.000Z'],
    ])('normalises a supplied timestamp with %s to UTC', async (_name, input, output) => {
      const id = await start({ customer_id: 'c', timestamp: input });
      const { started } = (await get(`${BASE}/services/${id}`)).body as { started: { timestamp: string } };
      expect(started.timestamp).toBe(output);
    });

    it('stores a string field sent as a number as its string form, and numeric strings as numbers (spec §2.11)', async () => {
      const id = await start({
        customer_id: 'c',
        interaction_id: 51,
        session_id: 42,
        application_id: '211',
        resource_id: '17',
        est_duration: '300',
        timestamp: '2024-01-01T00:00:00.000Z',
      });
      const res = await get(`${BASE}/services/${id}`);
      expect(res.body).toEqual({
        service_id: id,
        customer_id: 'c',
        est_duration: 300,
        started: {
          session_id: '42',
          interaction_id: '51',
          application_id: 211,
          resource_id: 17,
          timestamp: '2024-01-01T00:00:00.000Z',
        },
      });
    });

    it('keeps business-attribute values as sent: integer id or name (spec §2.6)', async () => {
      const id = await start({
        customer_id: 'c',
        service_type: 12,
        media_type: '3',
        application_type: 'IVR',
      });
      const res = await get(`${BASE}/services/${id}`);
      expect(res.body).toMatchObject({
        service_type: 12,
        started: { media_type: '3', application_type: 'IVR' },
      });
    });

    it('answers an unknown service with 400 NotFoundException', async () => {
      const res = await get(`${BASE}/services/1-00000000-0000-4000-8000-000000000000?extensions=*`);
      expectError(res, notFound('GET', '1-00000000-0000-4000-8000-000000000000'));
    });

    it('answers an unknown non-uuid id the same way', async () => {
      expectError(await get(`${BASE}/services/nope`), notFound('GET', 'nope'));
    });

    it('lets ttl win over expiration_time (spec §3.2)', async () => {
      const id = await start({ customer_id: 'c', ttl: 1, expiration_time: '2099-01-01T00:00:00.000Z' });
      await waitFor(
        async () => (await get(`${BASE}/services/${id}`)).status !== 200,
        15000,
        () => `service ${id} with ttl 1 still visible`,
      );
      expectError(await get(`${BASE}/services/${id}`), notFound('GET', id));
    });

    it('treats an expired service as unknown (spec §4 conventions)', async () => {
      const expiresAt = new Date(Date.now() + 1500).toISOString();
      const id = await start({ customer_id: 'c', expiration_time: expiresAt });
      await waitFor(
        async () => (await get(`${BASE}/services/${id}`)).status !== 200,
        15000,
        () => `service ${id} still visible after ${expiresAt}`,
      );
      expectError(await get(`${BASE}/services/${id}`), notFound('GET', id));
    });
  });

  describe('extensions (spec §2.7)', () => {
    const extensions = {
      CallerChoices: { menu: 'account', language: 'fr' },
      Feedback: [{ rating: 4 }, { rating: 5 }],
      Note: 'called twice',
      Count: 3,
      Flag: false,
    };
    let id: string;

    beforeAll(async () => {
      id = await start({ customer_id: 'CUST-EXT', ...extensions });
    });

    const read = async (query: string) => {
      const res = await get(`${BASE}/services/${id}${query}`);
      expect(res.status).toBe(200);
      const { service_id, customer_id, started, ...rest } = res.body as Record<string, unknown>;
      expect({ service_id, customer_id }).toEqual({ service_id: id, customer_id: 'CUST-EXT' });
      expect(started).toEqual({ timestamp: expect.stringMatching(MS_Z) });
      return rest;
    };

    it.each([
      ['by default', ''],
      ['for an empty parameter', '?extensions='],
      ['for an unknown name', '?extensions=Unknown'],
      ['for another casing (case-sensitive)', '?extensions=callerchoices'],
      ['for State.Name on a service', '?extensions=State.CallerChoices'],
      ['for Task.* on a service', '?extensions=Task.*'],
    ])('returns no extension %s', async (_name, query) => {
      expect(await read(query)).toEqual({});
    });

    it.each([
      ['Name', '?extensions=CallerChoices', ['CallerChoices']],
      ['Service.Name', '?extensions=Service.Feedback', ['Feedback']],
      ['a comma list', '?extensions=CallerChoices,Note', ['CallerChoices', 'Note']],
      [
        'a repeated parameter',
        '?extensions=CallerChoices&extensions=Service.Count',
        ['CallerChoices', 'Count'],
      ],
      ['a list with unknown names', '?extensions=Nope,Flag,State.Note', ['Flag']],
      ['*', '?extensions=*', Object.keys(extensions)],
      ['Service', '?extensions=Service', Object.keys(extensions)],
      ['Service.*', '?extensions=Service.*', Object.keys(extensions)],
    ])('returns the extensions selected by %s, top-level and unchanged', async (_name, query, names) => {
      const expected = Object.fromEntries(names.map((n) => [n, extensions[n as keyof typeof extensions]]));
      expect(await read(query)).toEqual(expected);
    });

    it('keeps extension names that are special in JavaScript as plain data', async () => {
      const body = '{"customer_id":"c","__proto__":{"polluted":true},"constructor":"x"}';
      const res = await post(START, body);
      expect(res.status).toBe(201);
      const { service_id } = res.body as { service_id: string };
      const read = await get(`${BASE}/services/${service_id}?extensions=*`);
      expect(read.status).toBe(200);
      expect(Object.keys(read.body as object).sort()).toEqual([
        '__proto__',
        'constructor',
        'customer_id',
        'service_id',
        'started',
      ]);
      expect(Object.getOwnPropertyDescriptor(read.body, '__proto__')?.value).toEqual({ polluted: true });
      expect((read.body as Record<string, unknown>).constructor).toBe('x');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('never treats reserved names as extensions', async () => {
      const sid = await start({
        customer_id: 'c',
        ttl: 60,
        expiration_time: '2099-01-01T00:00:00.000Z',
        auto_complete_after: 10,
        duration: 5,
        completed: { timestamp: '2020-01-01T00:00:00.000Z' },
        active_states: [],
        state_id: 3,
        task_id: 4,
        service_id: 'my-own-id',
      });
      const res = await get(`${BASE}/services/${sid}?extensions=*`);
      expect(Object.keys(res.body as object).sort()).toEqual(['customer_id', 'service_id', 'started']);
      expect((res.body as { service_id: string }).service_id).toBe(sid);
    });

    it('never treats the Service fields disposition and disposition_desc as extensions (§2.7 reserved names, §3.9)', async () => {
      const sid = await start({ customer_id: 'c', disposition: 'Sold', disposition_desc: 'early' });
      const res = await get(`${BASE}/services/${sid}?extensions=*`);
      expect(Object.keys(res.body as object).sort()).toEqual(['customer_id', 'service_id', 'started']);
    });
  });

  describe('nesting flags (spec §2.8)', () => {
    let id: string;

    beforeAll(async () => {
      id = await start({ contact_key: 'K-NEST' });
    });

    it('adds [] members for true flags, none for false or absent', async () => {
      const res = await get(
        `${BASE}/services/${id}?active_states=true&completed_states=TRUE&active_tasks=false`,
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        service_id: id,
        contact_key: 'K-NEST',
        started: { timestamp: expect.stringMatching(MS_Z) },
        active_states: [],
        completed_states: [],
      });
    });

    it('adds all four members when all flags are true', async () => {
      const res = await get(
        `${BASE}/services/${id}?active_states=true&completed_states=true&active_tasks=True&completed_tasks=true`,
      );
      expect(res.body).toMatchObject({
        active_states: [],
        completed_states: [],
        active_tasks: [],
        completed_tasks: [],
      });
    });

    it('ignores unknown query parameters', async () => {
      const res = await get(`${BASE}/services/${id}?foo=bar`);
      expect(res.status).toBe(200);
    });

    it.each([
      ['active_states', 'yes'],
      ['completed_states', '1'],
      ['active_tasks', ''],
      ['completed_tasks', 'truee'],
    ])('rejects %s=%s with 400', async (flag, value) => {
      const res = await get(`${BASE}/services/${id}?${flag}=${value}&extensions=*`);
      expectError(res, {
        status: 400,
        code: 'INVALID_PARAMETER',
        method: 'GET',
        uri: `${BASE}/services/${id}`,
        message: contains(`'${flag}'`),
      });
    });

    it('checks the flags before the service exists', async () => {
      const res = await get(`${BASE}/services/nope?active_tasks=maybe`);
      expectError(res, {
        status: 400,
        code: 'INVALID_PARAMETER',
        method: 'GET',
        uri: `${BASE}/services/nope`,
        message: contains("'active_tasks'"),
      });
    });
  });

  describe('validation (spec §4.1 step 1, §2.11)', () => {
    it.each(INVALID_STARTS)('rejects %s with 400', async (_name, body, code, message) => {
      const res = await post(`${START}?x=1`, body);
      expectError(res, { status: 400, code, method: 'POST', uri: START, message });
    });

    it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
      const res = await post(START, '{"customer_id": "c",');
      expectError(res, {
        status: 400,
        code: 'MALFORMED_JSON',
        method: 'POST',
        uri: START,
        message: contains('Invalid JSON body'),
      });
    });

    it('answers a text/plain body with 415', async () => {
      const res = await request(gms.url).post(START).set('Content-Type', 'text/plain').send('customer_id=c');
      expectError(res, {
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        method: 'POST',
        uri: START,
        message: contains('text/plain'),
      });
    });

    it('accepts application/json;charset=UTF-8', async () => {
      const res = await request(gms.url)
        .post(START)
        .set('Content-Type', 'application/json;charset=UTF-8')
        .send(JSON.stringify({ customer_id: 'c' }));
      expect(res.status).toBe(201);
    });

    it('answers a body over 1 MiB with 413', async () => {
      const body = JSON.stringify({ customer_id: 'c', Big: 'x'.repeat(MAX_BODY_BYTES) });
      const res = await postOversized(START, body);
      expectError(res, {
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        method: 'POST',
        uri: START,
        message: expect.any(String),
      });
    });

    it('stores a body just under 1 MiB', async () => {
      const big = 'x'.repeat(MAX_BODY_BYTES - 200);
      const id = await start({ customer_id: 'c', Big: big });
      const res = await get(`${BASE}/services/${id}?extensions=Big`);
      expect((res.body as { Big: string }).Big).toBe(big);
    });

    it('stores nothing when a request fails', async () => {
      const tenant = String(700000 + Math.floor(Math.random() * 100000));
      const headers = { 'X-Genesys-TenantId': tenant };
      for (const [, body] of INVALID_STARTS) expect((await post(START, body, headers)).status).toBe(400);
      expect((await post(START, '{"customer_id": "c",', headers)).status).toBe(400);
      expect(
        (
          await request(gms.url)
            .post(START)
            .set(headers)
            .set('Content-Type', 'text/plain')
            .send('{"customer_id":"c"}')
        ).status,
      ).toBe(415);
      expect(
        (
          await postOversized(
            START,
            JSON.stringify({ customer_id: 'c', Big: 'x'.repeat(MAX_BODY_BYTES) }),
            headers,
          )
        ).status,
      ).toBe(413);
      expect(await countServices(tenant)).toBe(0);
      await start({ customer_id: 'c' }, headers);
      expect(await countServices(tenant)).toBe(1);
    });
  });

  describe('routing errors (spec §2.1, §2.10)', () => {
    it('answers an unknown route with 404 ROUTE_NOT_FOUND', async () => {
      const res = await get(`${BASE}/nothing/here?x=1`);
      expectError(res, {
        status: 404,
        code: 'ROUTE_NOT_FOUND',
        method: 'GET',
        uri: `${BASE}/nothing/here`,
        message: contains(`${BASE}/nothing/here`),
      });
    });

    it('answers a path outside the base path with 404', async () => {
      const res = await request(gms.url).post('/services/start').send({ customer_id: 'c' });
      expectError(res, {
        status: 404,
        code: 'ROUTE_NOT_FOUND',
        method: 'POST',
        uri: '/services/start',
        message: expect.any(String),
      });
    });

    it('answers a known path with another method with 405 and Allow', async () => {
      const res = await request(gms.url).post(`${BASE}/services/x?y=1`);
      expectError(res, {
        status: 405,
        code: 'METHOD_NOT_ALLOWED',
        method: 'POST',
        uri: `${BASE}/services/x`,
        message: contains('POST'),
      });
      expect(res.headers.allow).toBe('DELETE, GET, PUT');
    });

    it('checks routing and media type before the tenant (spec §2.10 precedence)', async () => {
      const bad = { 'X-Genesys-TenantId': 'abc' };
      expect((await get(`${BASE}/nothing`, bad)).status).toBe(404);
      expect((await request(gms.url).post(`${BASE}/services/x`).set(bad)).status).toBe(405);
      expect(
        (await request(gms.url).post(START).set(bad).set('Content-Type', 'text/plain').send('x')).status,
      ).toBe(415);
    });

    it('treats GET /services/start as a query for the service id "start"', async () => {
      const res = await get(`${BASE}/services/start`);
      // `start` is also a valid service id for GET /services/{id} (spec §2.1 precedence only concerns POST).
      expectError(res, notFound('GET', 'start'));
    });
  });

  describe('tenancy (ARCHITECTURE §5, spec §1.6)', () => {
    let id: string;

    beforeAll(async () => {
      id = await start({ customer_id: 'CUST-T' }, { ContactCenterId: '101' });
    });

    it('shows the service to the same tenant, by either header', async () => {
      const variants: Headers[] = [
        { ContactCenterId: '101' },
        { 'X-Genesys-TenantId': '101' },
        { ContactCenterId: '101', 'X-Genesys-TenantId': '101' },
      ];
      for (const headers of variants) {
        const res = await get(`${BASE}/services/${id}`, headers);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ service_id: id, customer_id: 'CUST-T' });
      }
    });

    it.each([
      ['another tenant', { ContactCenterId: '102' }],
      ['another tenant by X-Genesys-TenantId', { 'X-Genesys-TenantId': '102' }],
      ['the default tenant', {}],
    ])('hides the service from %s (400 NotFound)', async (_name, headers: Headers) => {
      expectError(await get(`${BASE}/services/${id}`, headers), notFound('GET', id));
    });

    it('treats any ContactCenterId as its own partition when no tenant list is configured', async () => {
      const named = await start({ customer_id: 'c' }, { ContactCenterId: 'Acme' });
      expect((await get(`${BASE}/services/${named}`, { ContactCenterId: 'Acme' })).status).toBe(200);
      expectError(
        await get(`${BASE}/services/${named}`, { 'X-Genesys-TenantId': '101' }),
        notFound('GET', named),
      );
    });

    it('restricts reads to the GroupId a service was started with, when GroupId is sent (spec §1.6, §4 conventions)', async () => {
      const grouped = await start({ customer_id: 'c' }, { ContactCenterId: '101', GroupId: 'Sales' });
      expect(
        (await get(`${BASE}/services/${grouped}`, { ContactCenterId: '101', GroupId: 'Sales' })).status,
      ).toBe(200);
      expect((await get(`${BASE}/services/${grouped}`, { ContactCenterId: '101' })).status).toBe(200);
      expectError(
        await get(`${BASE}/services/${grouped}`, { ContactCenterId: '101', GroupId: 'Support' }),
        notFound('GET', grouped),
      );
    });

    it('answers different tenants in both headers with 400 INVALID_TENANT', async () => {
      const res = await get(`${BASE}/services/${id}`, {
        ContactCenterId: '101',
        'X-Genesys-TenantId': '102',
      });
      expectError(res, {
        status: 400,
        code: 'INVALID_TENANT',
        method: 'GET',
        uri: `${BASE}/services/${id}`,
        message: expect.stringMatching(/ContactCenterId.*X-Genesys-TenantId/),
      });
    });

    it('answers a non-integer X-Genesys-TenantId with 400 INVALID_TENANT, before body validation', async () => {
      const res = await post(START, [1], { 'X-Genesys-TenantId': 'abc' });
      expectError(res, {
        status: 400,
        code: 'INVALID_TENANT',
        method: 'POST',
        uri: START,
        message: contains("'X-Genesys-TenantId'='abc'"),
      });
    });
  });

  describe('configured tenants (CS_TENANTS)', () => {
    let listed: StartedGms;

    beforeAll(async () => {
      listed = await startGms(backend, { CS_TENANTS: '1:default,101:acme' });
    });

    afterAll(async () => {
      await listed?.close();
    });

    it('resolves a tenant name to its id', async () => {
      const res = await request(listed.url)
        .post(START)
        .set('ContactCenterId', 'acme')
        .send({ customer_id: 'c' });
      expect(res.status).toBe(201);
      const { service_id } = res.body as { service_id: string };
      expect(
        (await request(listed.url).get(`${BASE}/services/${service_id}`).set('X-Genesys-TenantId', '101'))
          .status,
      ).toBe(200);
      expect(
        (await request(listed.url).get(`${BASE}/services/${service_id}`).set('ContactCenterId', '101'))
          .status,
      ).toBe(200);
      expect(
        (await request(listed.url).get(`${BASE}/services/${service_id}`).set('ContactCenterId', 'default'))
          .status,
      ).toBe(400);
    });

    it('answers an unconfigured ContactCenterId with the documented message', async () => {
      const res = await request(listed.url)
        .post(START)
        .set('ContactCenterId', 'nope')
        .send({ customer_id: 'c' });
      expectError(res, {
        status: 400,
        code: 'INVALID_TENANT',
        method: 'POST',
        uri: START,
        message:
          "Invalid tenant specified : specified tenant in HTTP header 'ContactCenterId'='nope' not configured. Verify configuration.",
      });
    });

    it('answers an unconfigured X-Genesys-TenantId with 400', async () => {
      const res = await request(listed.url).get(`${BASE}/services/x`).set('X-Genesys-TenantId', '999');
      expectError(res, {
        status: 400,
        code: 'INVALID_TENANT',
        method: 'GET',
        uri: `${BASE}/services/x`,
        message: contains('999'),
      });
    });
  });

  describe('required tenant (CS_REQUIRE_TENANT)', () => {
    let strict: StartedGms;

    beforeAll(async () => {
      strict = await startGms(backend, { CS_REQUIRE_TENANT: 'true' });
    });

    afterAll(async () => {
      await strict?.close();
    });

    it('answers a request without tenant header with the documented multi-tenant message', async () => {
      const res = await request(strict.url).post(START).send({ customer_id: 'c' });
      expectError(res, {
        status: 400,
        code: 'INVALID_TENANT',
        method: 'POST',
        uri: START,
        message: NO_TENANT,
      });
      const read = await request(strict.url).get(`${BASE}/services/x`);
      expectError(read, {
        status: 400,
        code: 'INVALID_TENANT',
        method: 'GET',
        uri: `${BASE}/services/x`,
        message: NO_TENANT,
      });
    });

    it('serves requests that name a tenant', async () => {
      const res = await request(strict.url)
        .post(START)
        .set('ContactCenterId', '5')
        .send({ customer_id: 'c' });
      expect(res.status).toBe(201);
    });

    it('keeps health outside tenancy', async () => {
      expect((await request(strict.directUrl).get('/health/live')).status).toBe(200);
      expect((await request(strict.directUrl).get('/health/ready')).status).toBe(200);
    });
  });

  describe(`event ${EventSubjects.gmsServiceStarted} (ARCHITECTURE §6)`, () => {
    let listener: EventListener;

    beforeAll(async () => {
      listener = await listenForEvents(gms.env);
    });

    afterAll(async () => {
      await listener?.close();
    });

    const serviceIdOf = (event: { data: unknown }) => (event.data as { service_id?: string }).service_id;

    it('announces a started service with its tenant and its representation with every extension', async () => {
      const headers = { ContactCenterId: '101' };
      const id = await start(
        { customer_id: 'CUST-EV', interaction_id: 'IX-9', ttl: 60, Menu: { a: 1 }, Note: 'n' },
        headers,
      );
      const event = await listener.next((e) => serviceIdOf(e) === id);
      const view = (await get(`${BASE}/services/${id}?extensions=*`, headers)).body as unknown;
      expect(event).toEqual({
        id: expect.stringMatching(UUID),
        type: EventSubjects.gmsServiceStarted,
        occurred_at: expect.stringMatching(MS_Z),
        tenant: '101',
        data: view,
      });
    });

    it('announces nothing for a failed start', async () => {
      expect((await post(START, { customer_id: 'CUST-FAILED', ttl: 0 })).status).toBe(400);
      const marker = await start({ customer_id: 'CUST-AFTER' });
      await listener.next((e) => serviceIdOf(e) === marker);
      const customers = listener.events.map((e) => (e.data as { customer_id?: string }).customer_id);
      expect(customers).not.toContain('CUST-FAILED');
    });

    it('gives every event its own id', async () => {
      const ids = await Promise.all([1, 2, 3].map(() => start({ contact_key: 'K-EV' })));
      const events = await Promise.all(ids.map((id) => listener.next((e) => serviceIdOf(e) === id)));
      expect(new Set(events.map((e) => e.id)).size).toBe(3);
    });
  });

  describe('operations', () => {
    it('answers /health/live and /health/ready', async () => {
      const direct = (path: string) => request(gms.directUrl).get(path);
      const live = await direct('/health/live');
      expect(live.status).toBe(200);
      expect(live.body).toEqual({ status: 'ok' });
      const ready = await direct('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ok', database: 'up', transport: 'up' });
    });

    it('serves the OpenAPI document with the service operations', async () => {
      const res = await request(gms.directUrl).get('/openapi.json');
      expect(res.status).toBe(200);
      const paths = (res.body as { paths: Record<string, Record<string, unknown>> }).paths;
      expect(paths[`${BASE}/services/start`]?.post).toBeDefined();
      expect(paths[`${BASE}/services/{service_id}`]?.get).toBeDefined();
    });

    it('returns an X-Request-Id on every answer', async () => {
      const ok = await get('/health/live').set('X-Request-Id', 'req-123');
      expect(ok.headers['x-request-id']).toBe('req-123');
      const failed = await get(`${BASE}/nothing`);
      expect(failed.headers['x-request-id']).toEqual(expect.any(String));
    });
  });

  describe('writes and queries (spec §4.2–§4.13)', () => {
    let listener: EventListener;

    beforeAll(async () => {
      listener = await listenForEvents(gms.env);
    });

    afterAll(async () => {
      await listener?.close();
    });

    const put = (path: string, raw: string, headers: Headers = {}) =>
      request(gms.url).put(path).set(headers).set('Content-Type', 'application/json').send(raw);
    const del = (path: string, headers: Headers = {}) => request(gms.url).delete(path).set(headers);
    const eventFor = (type: string, serviceId: string) =>
      listener.next((e) => e.type === type && (e.data as { service_id?: string }).service_id === serviceId);

    interface Row {
      expires_at: number;
      updated_at: number;
      auto_complete_at: number | null;
      expiration_explicit: boolean;
    }
    async function row(serviceId: string): Promise<Row> {
      const rows = (await gms.app
        .get(DataSource)
        .query(
          'SELECT expires_at, updated_at, auto_complete_at, expiration_explicit FROM services WHERE service_id = ?',
          [serviceId],
        )) as Record<keyof Row, string | number | boolean | null>[];
      return {
        expires_at: Number(rows[0].expires_at),
        updated_at: Number(rows[0].updated_at),
        auto_complete_at: rows[0].auto_complete_at === null ? null : Number(rows[0].auto_complete_at),
        expiration_explicit: Boolean(Number(rows[0].expiration_explicit)),
      };
    }
    async function count(table: 'states' | 'tasks', serviceId: string): Promise<number> {
      const rows = (await gms.app
        .get(DataSource)
        .query(`SELECT COUNT(*) AS n FROM ${table} WHERE service_id = ?`, [serviceId])) as {
        n: number | string;
      }[];
      return Number(rows[0].n);
    }
    const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

    it('§4.2 announces cs.gms.service.associated with the service after the change and meta.group_id', async () => {
      const headers = { GroupId: 'g-assoc' };
      const id = await start({ contact_key: 'K-ASSOC', Menu: 1 }, headers);
      const res = await post(`${BASE}/customers/CUST-NEW/services/${id}`, { media_type: 'chat' }, headers);
      expect({ status: res.status, text: res.text }).toEqual({ status: 204, text: '' });
      const event = await eventFor(EventSubjects.gmsServiceAssociated, id);
      expect(event.meta).toEqual({ group_id: 'g-assoc' });
      expect(event.data).toMatchObject({
        service_id: id,
        customer_id: 'CUST-NEW',
        contact_key: 'K-ASSOC',
        started: { media_type: 'chat' },
        Menu: 1,
      });
    });

    it('§2.11 rejects a customer_id path over 256 characters on associate', async () => {
      const id = await start({ contact_key: 'K-LONG' });
      const uri = `${BASE}/customers/${'c'.repeat(257)}/services/${id}`;
      const res = await post(uri, {});
      expectError(res, {
        status: 400,
        code: 'FIELD_TOO_LONG',
        method: 'POST',
        uri,
        message: contains("'customer_id'"),
      });
    });

    it('§4.3 completes, cascades, clears the auto-complete deadline and announces reason api', async () => {
      const id = await start({ customer_id: 'CUST-END', auto_complete_after: 300 });
      expect((await row(id)).auto_complete_at).not.toBeNull();
      expect((await post(`${BASE}/services/${id}/states/start`, {})).status).toBe(201);
      expect((await post(`${BASE}/services/${id}/tasks/start`, {})).status).toBe(201);
      const end = await post(`${BASE}/services/${id}/end`, {
        timestamp: '2030-01-01T00:00:00.000Z',
        disposition: 3,
      });
      expect(end.status).toBe(204);
      expect((await row(id)).auto_complete_at).toBeNull();
      const event = await eventFor(EventSubjects.gmsServiceCompleted, id);
      expect(event.meta).toEqual({ reason: 'api' });
      expect(event.data).toMatchObject({
        completed: { timestamp: '2030-01-01T00:00:00.000Z' },
        disposition: 3,
      });
      const states = (await get(`${BASE}/services/${id}/states/completed`)).body as unknown[];
      expect(states).toEqual([
        expect.objectContaining({ completed: { timestamp: '2030-01-01T00:00:00.000Z' } }),
      ]);
    });

    it('§4.3 answers a second end with 400 ALREADY_COMPLETED naming the service', async () => {
      const id = await start({ customer_id: 'CUST-END2' });
      expect((await post(`${BASE}/services/${id}/end`, {})).status).toBe(204);
      const res = await post(`${BASE}/services/${id}/end`, {});
      expectError(res, {
        status: 400,
        code: 'ALREADY_COMPLETED',
        method: 'POST',
        uri: `${BASE}/services/${id}/end`,
        message: `Service ${id} is already completed`,
      });
    });

    it.each(['service_type', 'customer_id', 'started', 'disposition', 'ttl', 'active_states'])(
      '§4.4 rejects the reserved name %s with 400 RESERVED_EXTENSION_NAME',
      async (name) => {
        const id = await start({ customer_id: 'CUST-RES' });
        const res = await put(`${BASE}/services/${id}/extensions/${name}`, '{"a":1}');
        expectError(res, {
          status: 400,
          code: 'RESERVED_EXTENSION_NAME',
          method: 'PUT',
          uri: `${BASE}/services/${id}/extensions/${name}`,
          message: `'${name}' is a reserved field name and cannot be used as an extension`,
        });
      },
    );

    it('§2.7 answers PUT with an empty extension name with 400 INVALID_EXTENSION_NAME', async () => {
      const id = await start({ customer_id: 'CUST-EMPTY' });
      for (const path of [
        `/services/${id}/extensions/`,
        `/services/${id}/states/1/extensions/`,
        `/services/${id}/tasks/1/extensions/`,
      ]) {
        const res = await put(`${BASE}${path}`, '{"a":1}');
        expectError(res, {
          status: 400,
          code: 'INVALID_EXTENSION_NAME',
          method: 'PUT',
          uri: `${BASE}${path}`,
          message: contains('empty'),
        });
      }
    });

    it('§4.4 announces cs.gms.service.extension-updated with meta.extension', async () => {
      const id = await start({ customer_id: 'CUST-EXT' });
      expect((await put(`${BASE}/services/${id}/extensions/Offers`, '[{"o":1}]')).status).toBe(200);
      const event = await eventFor(EventSubjects.gmsServiceExtensionUpdated, id);
      expect(event.meta).toEqual({ extension: 'Offers' });
      expect(event.data).toMatchObject({ service_id: id, Offers: [{ o: 1 }] });
    });

    it('§4.6 deletes the rows of states and tasks and announces the service as it was (reason api)', async () => {
      const id = await start({ customer_id: 'CUST-DEL', Keep: 'k' });
      expect((await post(`${BASE}/services/${id}/states/start`, {})).status).toBe(201);
      expect((await post(`${BASE}/services/${id}/tasks/start`, { state_id: 1 })).status).toBe(201);
      const res = await del(`${BASE}/services/${id}`);
      expect({ status: res.status, text: res.text }).toEqual({ status: 200, text: '' });
      expect(await count('states', id)).toBe(0);
      expect(await count('tasks', id)).toBe(0);
      const event = await eventFor(EventSubjects.gmsServiceDeleted, id);
      expect(event.meta).toEqual({ reason: 'api' });
      expect(event.data).toMatchObject({ service_id: id, customer_id: 'CUST-DEL', Keep: 'k' });
      expectError(await del(`${BASE}/services/${id}`), notFound('DELETE', id));
    });

    it('§4.13 requires ttl or expiration_time (400 MISSING_FIELD) and validates them', async () => {
      const id = await start({ customer_id: 'CUST-TTL' });
      const uri = `${BASE}/services/${id}`;
      expectError(await put(uri, '{"other":1}'), {
        status: 400,
        code: 'MISSING_FIELD',
        method: 'PUT',
        uri,
        message: "Missing mandatory field 'ttl' or 'expiration_time'",
      });
      expectError(await put(uri, '{"ttl":0}'), {
        status: 400,
        code: 'INVALID_VALUE',
        method: 'PUT',
        uri,
        message: contains("'ttl'"),
      });
      expectError(await put(uri, '{"expiration_time":"2001-01-01T00:00:00.000Z"}'), {
        status: 400,
        code: 'INVALID_VALUE',
        method: 'PUT',
        uri,
        message: contains("'expiration_time'"),
      });
      expect((await row(id)).expiration_explicit).toBe(false);
    });

    it('§1.7/§5 item 53: a configured expiration slides with every write; an explicit one stays fixed', async () => {
      const id = await start({ customer_id: 'CUST-SLIDE' });
      const first = await row(id);
      await pause();
      expect((await put(`${BASE}/services/${id}/extensions/A`, '1')).status).toBe(200);
      const slid = await row(id);
      expect(slid.updated_at).toBeGreaterThan(first.updated_at);
      expect(slid.expires_at - slid.updated_at).toBe(first.expires_at - first.updated_at);

      const before = Date.now();
      const res = await put(`${BASE}/services/${id}`, '{"ttl":3600}');
      expect({ status: res.status, text: res.text }).toEqual({ status: 200, text: '' });
      const fixed = await row(id);
      expect(fixed.expiration_explicit).toBe(true);
      expect(fixed.expires_at).toBeGreaterThanOrEqual(before + 3_600_000);
      expect(fixed.expires_at).toBeLessThanOrEqual(Date.now() + 3_600_000);
      const event = await eventFor(EventSubjects.gmsServiceExpirationUpdated, id);
      expect(event.data).toMatchObject({ service_id: id, A: 1 });

      await pause();
      expect((await post(`${BASE}/services/${id}/states/start`, {})).status).toBe(201);
      expect((await post(`${BASE}/customers/CUST-SLIDE2/services/${id}`, {})).status).toBe(204);
      expect((await post(`${BASE}/services/${id}/end`, {})).status).toBe(204);
      expect((await row(id)).expires_at).toBe(fixed.expires_at);
    });

    it('§2.8 nests states and tasks of a whole list with one query per kind (no N+1)', async () => {
      const { StatesRepository } = await import('../src/states/states.repository');
      const { TasksRepository } = await import('../src/tasks/tasks.repository');
      const customer = `CUST-N1-${Date.now()}`;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const id = await start({ customer_id: customer });
        expect((await post(`${BASE}/services/${id}/states/start`, { S: i })).status).toBe(201);
        expect((await post(`${BASE}/services/${id}/tasks/start`, { state_id: 1 })).status).toBe(201);
        ids.push(id);
      }
      const states = jest.spyOn(gms.app.get(StatesRepository), 'listForServices');
      const tasks = jest.spyOn(gms.app.get(TasksRepository), 'listForServices');
      try {
        const res = await get(
          `${BASE}/customers/${customer}/services?active_states=true&completed_states=true&active_tasks=true&extensions=State.S`,
        );
        expect(res.status).toBe(200);
        const list = res.body as Record<string, unknown>[];
        expect(list.map((s) => s.service_id)).toEqual(ids);
        list.forEach((service, i) => {
          expect(service.active_states).toEqual([{ state_id: 1, started: expect.any(Object), S: i }]);
          expect(service.completed_states).toEqual([]);
          expect(service.active_tasks).toEqual([{ task_id: 1, state_id: 1, started: expect.any(Object) }]);
        });
        expect(states).toHaveBeenCalledTimes(1);
        expect(tasks).toHaveBeenCalledTimes(1);
      } finally {
        states.mockRestore();
        tasks.mockRestore();
      }
    });

    it.each([
      ['started_from', 'yesterday'],
      ['started_to', '2024-13-01T00:00:00.000Z'],
      ['active_states', 'yes'],
    ])('§4.7–§4.12 answers %s=%s with 400 INVALID_PARAMETER', async (param, value) => {
      for (const path of [`${BASE}/services/anonymous/K-Q/active`, `${BASE}/customers/C-Q/services`]) {
        const res = await get(`${path}?${param}=${value}`);
        expectError(res, {
          status: 400,
          code: 'INVALID_PARAMETER',
          method: 'GET',
          uri: path,
          message: contains(`'${param}'`),
        });
      }
    });

    it('§4.7/§4.10 keep the GroupId of the caller and hide expired services', async () => {
      const key = `K-GRP-${Date.now()}`;
      const blue = await start({ contact_key: key }, { GroupId: 'blue' });
      const red = await start({ contact_key: key }, { GroupId: 'red' });
      await start({ contact_key: key, ttl: 1 });
      const ids = async (headers: Headers) =>
        ((await get(`${BASE}/services/anonymous/${key}`, headers)).body as { service_id: string }[]).map(
          (s) => s.service_id,
        );
      expect(await ids({ GroupId: 'blue' })).toEqual([blue]);
      await waitFor(
        async () => (await ids({})).length === 2,
        5000,
        () => 'the service with ttl 1 is still listed',
      );
      expect(await ids({})).toEqual([blue, red]);
    });

    it('§2.1 answers every path of the operation index (never 404)', async () => {
      const id = await start({ customer_id: 'CUST-ROUTES' });
      const routes: [string, string][] = [
        ['post', `/customers/C/services/${id}`],
        ['post', `/services/${id}/end`],
        ['put', `/services/${id}/extensions/E`],
        ['get', `/services/${id}`],
        ['get', '/services/anonymous/K'],
        ['get', '/services/anonymous/K/active'],
        ['get', '/services/anonymous/K/completed'],
        ['get', '/customers/C/services'],
        ['get', '/customers/C/services/active'],
        ['get', '/customers/C/services/completed'],
        ['put', `/services/${id}`],
        ['post', `/services/${id}/states/start`],
        ['post', `/services/${id}/states/1/end`],
        ['post', `/services/${id}/states/transition`],
        ['get', `/services/${id}/states`],
        ['get', `/services/${id}/states/active`],
        ['get', `/services/${id}/states/completed`],
        ['get', `/services/${id}/states/1`],
        ['put', `/services/${id}/states/1/extensions/E`],
        ['post', `/services/${id}/tasks/start`],
        ['post', `/services/${id}/tasks/1/end`],
        ['get', `/services/${id}/tasks`],
        ['get', `/services/${id}/tasks/active`],
        ['get', `/services/${id}/tasks/completed`],
        ['get', `/services/${id}/tasks/1`],
        ['put', `/services/${id}/tasks/1/extensions/E`],
        ['delete', `/services/${id}`],
      ];
      for (const [method, path] of routes) {
        const res = await request(gms.url)[method as 'get'](`${BASE}${path}`).send({ ttl: 60 });
        const answered = [200, 201, 204, 400].includes(res.status);
        expect(answered ? 'answered' : `${method} ${path} → ${res.status}`).toBe('answered');
      }
    });

    it('documents every operation of §4.2–§4.24 in the OpenAPI document', async () => {
      const doc = await request(gms.directUrl).get('/openapi.json');
      const paths = (
        doc.body as {
          paths: Record<string, Record<string, { summary?: string }>>;
        }
      ).paths;
      const expected: [string, string][] = [
        ['post', '/customers/{customer_id}/services/{service_id}'],
        ['post', '/services/{service_id}/end'],
        ['put', '/services/{service_id}/extensions/{ext_name}'],
        ['delete', '/services/{service_id}'],
        ['put', '/services/{service_id}'],
        ['get', '/services/anonymous/{contact_key}'],
        ['get', '/services/anonymous/{contact_key}/active'],
        ['get', '/services/anonymous/{contact_key}/completed'],
        ['get', '/customers/{customer_id}/services'],
        ['get', '/customers/{customer_id}/services/active'],
        ['get', '/customers/{customer_id}/services/completed'],
        ['post', '/services/{service_id}/states/start'],
        ['post', '/services/{service_id}/states/{state_id}/end'],
        ['post', '/services/{service_id}/states/transition'],
        ['get', '/services/{service_id}/states'],
        ['get', '/services/{service_id}/states/active'],
        ['get', '/services/{service_id}/states/completed'],
        ['get', '/services/{service_id}/states/{state_id}'],
        ['put', '/services/{service_id}/states/{state_id}/extensions/{ext_name}'],
        ['post', '/services/{service_id}/tasks/start'],
        ['post', '/services/{service_id}/tasks/{task_id}/end'],
        ['get', '/services/{service_id}/tasks'],
        ['get', '/services/{service_id}/tasks/active'],
        ['get', '/services/{service_id}/tasks/completed'],
        ['get', '/services/{service_id}/tasks/{task_id}'],
        ['put', '/services/{service_id}/tasks/{task_id}/extensions/{ext_name}'],
      ];
      for (const [method, path] of expected) {
        expect({ method, path, summary: paths[`${BASE}${path}`]?.[method]?.summary }).toEqual({
          method,
          path,
          summary: expect.any(String),
        });
      }
    });
  });
});
