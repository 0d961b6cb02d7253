import { EventSubjects } from '@cs/contracts';
import { testBackends } from '@cs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { BASE, EXTENSIONS, KEYS, PROFILES, ProfilesKit, expectError, type Json } from './profiles-kit';
import { recordedEvents } from '@cs/testing';
import { startUcs, type StartedUcs } from './start-ucs';

let n = 0;
/** A fresh extension or key name (spec §2.6 syntax). */
const name = (prefix: string) => `${prefix}${++n}`;

const devices = (extName: string): Json => ({
  name: extName,
  type: 'multi-valued',
  unique: ['serial'],
  attributes: [
    { name: 'serial', type: 'string', length: 32, mandatory: true },
    { name: 'model', type: 'string', length: 64 },
    { name: 'activated', type: 'datetime' },
  ],
});

describe.each(testBackends().map((b) => [b.name, b] as const))('ucs schema (%s)', (_, backend) => {
  let ucs: StartedUcs;
  let kit: ProfilesKit;

  beforeAll(async () => {
    ucs = await startUcs(backend);
    kit = await new ProfilesKit(ucs).start();
  });

  afterAll(async () => {
    await ucs?.close();
  });

  afterEach(() => jest.restoreAllMocks());

  describe('S1 GET /metadata/profiles (spec §4.10)', () => {
    it('§4.10 returns the configured core attributes in order, with or without a trailing slash', async () => {
      const expected = [
        { name: 'FirstName', type: 'string' },
        { name: 'LastName', type: 'string' },
        { name: 'PhoneNumber', type: 'string' },
        { name: 'EmailAddress', type: 'string' },
        { name: 'Title', type: 'string' },
        { name: 'DOB', type: 'date' },
      ];
      for (const path of [`${BASE}/metadata/profiles`, `${BASE}/metadata/profiles/`]) {
        const res = await kit.get(path);
        expect({ status: res.status, body: res.body as unknown }).toEqual({ status: 200, body: expected });
      }
    });

    it('§2.9 is readable in maintenance mode too', async () => {
      await kit.inMaintenance(async () =>
        expect((await kit.get(`${BASE}/metadata/profiles`)).status).toBe(200),
      );
    });
  });

  describe('per-tenant core schema (spec §3.2, CS_PROFILE_SCHEMA)', () => {
    let custom: StartedUcs;

    beforeAll(async () => {
      custom = await startUcs(backend, {
        CS_PROFILE_SCHEMA: JSON.stringify({
          default: [{ name: 'Nick' }],
          '808': [{ name: 'Born', type: 'date' }, { name: 'Nick' }],
          '809': [],
        }),
      });
    });

    afterAll(async () => {
      await custom?.close();
    });

    it('§3.2 serves each tenant its own core schema (S1) and validates profiles against it', async () => {
      const s1 = (tenant: string) =>
        request(custom.url).get(`${BASE}/metadata/profiles`).set('X-Genesys-TenantId', tenant);
      expect((await s1('1')).body).toEqual([{ name: 'Nick', type: 'string' }]);
      expect((await s1('808')).body).toEqual([
        { name: 'Born', type: 'date' },
        { name: 'Nick', type: 'string' },
      ]);
      expect((await s1('809')).body).toEqual([]);
      const create = (tenant: string, body: Json) =>
        request(custom.url).post(PROFILES).set('X-Genesys-TenantId', tenant).send(body);
      expect((await create('808', { born: '2001-02-03' })).status).toBe(201);
      expectError(
        await create('1', { Born: '2001-02-03', Nick: 'n' }),
        400,
        'UNKNOWN_ATTRIBUTE',
        'POST',
        PROFILES,
      );
      expectError(await create('809', { Nick: 'n' }), 403, 'PROFILE_SCHEMA_UNDEFINED', 'POST', PROFILES);
    });
  });

  describe('S2/S3 extension schemas (spec §4.11, §4.12, §3.4, §3.5)', () => {
    it('§4.11 creates with 201, {name} and a Location; §4.12 reads it back case-insensitively', async () => {
      const ext = name('Devices');
      const res = await kit.inMaintenance(() => kit.post(EXTENSIONS, devices(ext)));
      expect({ status: res.status, body: res.body as unknown }).toEqual({ status: 201, body: { name: ext } });
      expect(res.headers.location).toBe(`${EXTENSIONS}/${ext}`);
      const read = await kit.get(`${EXTENSIONS}/${ext.toLowerCase()}`);
      expect({ status: read.status, body: read.body as unknown }).toEqual({
        status: 200,
        body: {
          name: ext,
          type: 'multi-valued',
          required: false,
          unique: ['serial'],
          attributes: [
            { name: 'serial', type: 'string', length: 32, mandatory: true },
            { name: 'model', type: 'string', length: 64, mandatory: false },
            { name: 'activated', type: 'datetime', mandatory: false },
          ],
        },
      });
    });

    it('§3.5 normalises types (any case, bool), string lengths and mandatory strings, and typed defaults', async () => {
      const ext = name('Loyalty');
      await kit.createExtension({
        name: ext,
        type: 'Single-Valued',
        required: 'true',
        attributes: [
          { name: 'tier', type: 'STRING', length: '10', default: 'basic', mandatory: 'false' },
          { name: 'points', type: 'Integer', default: 0 },
          { name: 'vip', type: 'bool', default: 'TRUE' },
          { name: 'balance', type: 'currency', default: '12.50' },
          { name: 'since', type: 'date' },
        ],
      });
      expect((await kit.get(`${EXTENSIONS}/${ext}`)).body).toEqual({
        name: ext,
        type: 'single-valued',
        required: true,
        attributes: [
          { name: 'tier', type: 'string', length: 10, default: 'basic', mandatory: false },
          { name: 'points', type: 'integer', default: 0, mandatory: false },
          { name: 'vip', type: 'boolean', default: true, mandatory: false },
          { name: 'balance', type: 'currency', default: 12.5, mandatory: false },
          { name: 'since', type: 'date', mandatory: false },
        ],
      });
    });

    it('§4.12 lists every schema in creation order (a fresh tenant starts with [])', async () => {
      const tenant = { 'X-Genesys-TenantId': '4242' };
      expect((await kit.get(EXTENSIONS, tenant)).body).toEqual([]);
      const [a, b] = [name('Zeta'), name('Alpha')];
      await kit.createExtension({ name: a, type: 'single-valued' }, tenant);
      await kit.createExtension({ name: b, type: 'multi-valued', attributes: [] }, tenant);
      const res = await kit.get(`${EXTENSIONS}/`, tenant);
      expect(res.status).toBe(200);
      expect((res.body as Json[]).map((e) => e.name)).toEqual([a, b]);
      expect(res.body).toEqual([
        { name: a, type: 'single-valued', required: false, attributes: [] },
        { name: b, type: 'multi-valued', required: false, attributes: [] },
      ]);
    });

    it('§4.12 answers an unknown name with 404 EXTENSION_NOT_FOUND', async () => {
      expectError(
        await kit.get(`${EXTENSIONS}/Nothing`),
        404,
        'EXTENSION_NOT_FOUND',
        'GET',
        `${EXTENSIONS}/Nothing`,
      );
    });

    it('§4.11 answers a duplicate name in any casing with 409 ALREADY_EXISTS', async () => {
      const ext = name('Dup');
      await kit.createExtension({ name: ext, type: 'single-valued' });
      const res = await kit.inMaintenance(() =>
        kit.post(EXTENSIONS, { name: ext.toUpperCase(), type: 'multi-valued' }),
      );
      expectError(res, 409, 'ALREADY_EXISTS', 'POST', EXTENSIONS);
    });

    it('§2.3 answers an extension named like a core attribute with 409 NAME_CONFLICT', async () => {
      const res = await kit.inMaintenance(() =>
        kit.post(EXTENSIONS, { name: 'emailaddress', type: 'single-valued' }),
      );
      expectError(res, 409, 'NAME_CONFLICT', 'POST', EXTENSIONS);
      const reserved = await kit.inMaintenance(() =>
        kit.post(EXTENSIONS, { name: 'Customer_Id', type: 'single-valued' }),
      );
      expectError(reserved, 409, 'NAME_CONFLICT', 'POST', EXTENSIONS);
    });

    it.each([
      ['a name with a dash', { name: 'Bad-Name', type: 'single-valued' }, 'INVALID_NAME'],
      ['a name starting with a digit', { name: '1abc', type: 'single-valued' }, 'INVALID_NAME'],
      ['a 27-character name', { name: 'A'.repeat(27), type: 'single-valued' }, 'INVALID_NAME'],
      ['no name', { type: 'single-valued' }, 'MISSING_PARAMETER'],
      ['a non-string name', { name: 5, type: 'single-valued' }, 'INVALID_NAME'],
      ['an unknown type', { name: 'Okname', type: 'several' }, 'INVALID_PARAMETER'],
      ['the 8.0 classifier type (A-12)', { name: 'Okname', type: 'classifier' }, 'INVALID_PARAMETER'],
      [
        'an unknown attribute type',
        { name: 'Okname', type: 'single-valued', attributes: [{ name: 'a', type: 'blob' }] },
        'INVALID_PARAMETER',
      ],
      [
        'a bad attribute name',
        { name: 'Okname', type: 'single-valued', attributes: [{ name: 'a b', type: 'string' }] },
        'INVALID_NAME',
      ],
      [
        'an attribute defined twice (case-insensitive)',
        {
          name: 'Okname',
          type: 'single-valued',
          attributes: [
            { name: 'a', type: 'string' },
            { name: 'A', type: 'integer' },
          ],
        },
        'INVALID_PARAMETER',
      ],
      [
        'a default of the wrong type',
        { name: 'Okname', type: 'single-valued', attributes: [{ name: 'n', type: 'integer', default: 'x' }] },
        'INVALID_ATTRIBUTE_VALUE',
      ],
      [
        'a default longer than the length',
        {
          name: 'Okname',
          type: 'single-valued',
          attributes: [{ name: 'p', type: 'string', length: 3, default: '5555' }],
        },
        'INVALID_ATTRIBUTE_VALUE',
      ],
      [
        'a non-boolean mandatory',
        {
          name: 'Okname',
          type: 'single-valued',
          attributes: [{ name: 'a', type: 'string', mandatory: 'yes' }],
        },
        'INVALID_PARAMETER',
      ],
      [
        'a unique entry that is not an attribute',
        {
          name: 'Okname',
          type: 'multi-valued',
          unique: ['nope'],
          attributes: [{ name: 'a', type: 'string' }],
        },
        'UNKNOWN_ATTRIBUTE',
      ],
      [
        'unique on a single-valued extension',
        { name: 'Okname', type: 'single-valued', unique: ['a'], attributes: [{ name: 'a', type: 'string' }] },
        'INVALID_PARAMETER',
      ],
      ['an array body', [{ name: 'Okname', type: 'single-valued' }], 'MALFORMED_JSON'],
    ])('§4.11 rejects %s with 400 and stores nothing', async (_name, body, code) => {
      const res = await kit.inMaintenance(() => kit.post(EXTENSIONS, body));
      expectError(res, 400, code, 'POST', EXTENSIONS);
      expect((await kit.get(`${EXTENSIONS}/Okname`)).status).toBe(404);
    });

    it('§2.9 refuses schema writes in production mode with 503 WRONG_SERVER_MODE', async () => {
      const res = await kit.post(EXTENSIONS, { name: name('Prod'), type: 'single-valued' });
      expectError(res, 503, 'WRONG_SERVER_MODE', 'POST', EXTENSIONS);
    });
  });

  describe('S4 DELETE /metadata/profiles/extensions/{name} (spec §4.13)', () => {
    it('§4.13 deletes the schema and every record of it (204), case-insensitively', async () => {
      const ext = name('Gone');
      await kit.createExtension(devices(ext));
      const id = await kit.createProfile({ FirstName: 'A', [ext]: [{ serial: 'S1' }, { serial: 'S2' }] });
      expect((await kit.profile(id, ext))[ext]).toEqual([{ serial: 'S1' }, { serial: 'S2' }]);
      const res = await kit.inMaintenance(() => kit.delete(`${EXTENSIONS}/${ext.toLowerCase()}`));
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect((await kit.get(`${EXTENSIONS}/${ext}`)).status).toBe(404);
      const rows = (await ucs.app
        .get(DataSource)
        .query('SELECT COUNT(*) AS n FROM extension_records WHERE ext_name_lc = ?', [ext.toLowerCase()])) as {
        n: number | string;
      }[];
      expect(Number(rows[0].n)).toBe(0);
      // Re-created with the same name, it starts empty.
      await kit.createExtension(devices(ext));
      expect((await kit.profile(id, ext))[ext]).toEqual([]);
    });

    it('§2.11 concurrent deletes of one schema: one 204, the others 404, one deletion event (issue 7 fuzz)', async () => {
      const ext = name('Raced');
      await kit.createExtension(devices(ext));
      const statuses = await kit.inMaintenance(() =>
        Promise.all([1, 2, 3, 4, 5, 6].map(async () => (await kit.delete(`${EXTENSIONS}/${ext}`)).status)),
      );
      expect(statuses.sort()).toEqual([204, 404, 404, 404, 404, 404]);
      const deletions = (await recordedEvents(ucs.app)).filter(
        (e) => e.type === EventSubjects.ucsExtensionSchemaDeleted && (e.data as Json).name === ext,
      );
      expect(deletions).toHaveLength(1);
    });

    it('§4.13 answers an unknown name with 404 EXTENSION_NOT_FOUND', async () => {
      const res = await kit.inMaintenance(() => kit.delete(`${EXTENSIONS}/Never`));
      expectError(res, 404, 'EXTENSION_NOT_FOUND', 'DELETE', `${EXTENSIONS}/Never`);
    });

    it('§4.13 refuses with 409 SCHEMA_IN_USE while a key uses it, and deletes after the key is gone', async () => {
      const ext = name('Used');
      const key = name('idUsed');
      await kit.createExtension(devices(ext));
      await kit.createKey({ name: key, source: ext, attributes: ['serial'] });
      const refused = await kit.inMaintenance(() => kit.delete(`${EXTENSIONS}/${ext}`));
      expectError(refused, 409, 'SCHEMA_IN_USE', 'DELETE', `${EXTENSIONS}/${ext}`);
      expect((await kit.get(`${EXTENSIONS}/${ext}`)).status).toBe(200);
      expect((await kit.inMaintenance(() => kit.delete(`${KEYS}/${key}`))).status).toBe(204);
      expect((await kit.inMaintenance(() => kit.delete(`${EXTENSIONS}/${ext}`))).status).toBe(204);
    });
  });

  describe('S5/S6/S7 identification keys (spec §4.14–§4.16, §3.6)', () => {
    it('§4.15 creates with 201 and Location; §4.14 output form: prefixed extension attributes, unique only when true', async () => {
      const ext = name('Dev');
      await kit.createExtension(devices(ext));
      const [k1, k2] = [name('idNameDob'), name('idSerial')];
      const res = await kit.inMaintenance(() =>
        kit.post(`${KEYS}/`, { name: k1, attributes: ['lastname', 'FirstName ', ' DOB'] }),
      );
      expect({ status: res.status, body: res.body as unknown }).toEqual({ status: 201, body: { name: k1 } });
      expect(res.headers.location).toBe(`${KEYS}/${k1}`);
      await kit.createKey({ name: k2, source: ext.toUpperCase(), attributes: ['Serial'], unique: true });
      expect((await kit.get(`${KEYS}/${k1.toUpperCase()}`)).body).toEqual({
        name: k1,
        attributes: ['LastName', 'FirstName', 'DOB'],
      });
      expect((await kit.get(`${KEYS}/${k2}`)).body).toEqual({
        name: k2,
        attributes: [`${ext}.serial`],
        unique: true,
      });
      const all = (await kit.get(KEYS)).body as Json[];
      expect(all.slice(-2)).toEqual([
        { name: k1, attributes: ['LastName', 'FirstName', 'DOB'] },
        { name: k2, attributes: [`${ext}.serial`], unique: true },
      ]);
    });

    it('§4.15 takes the source from prefixed attributes when source is absent', async () => {
      const ext = name('Pref');
      await kit.createExtension(devices(ext));
      const key = name('idPref');
      await kit.createKey({ name: key, attributes: [`${ext.toLowerCase()}.serial`, `${ext}.model`] });
      expect((await kit.get(`${KEYS}/${key}`)).body).toEqual({
        name: key,
        attributes: [`${ext}.serial`, `${ext}.model`],
      });
    });

    it('§4.14 answers an unknown key with 404 IDENTIFICATION_KEY_NOT_FOUND', async () => {
      expectError(
        await kit.get(`${KEYS}/nokey`),
        404,
        'IDENTIFICATION_KEY_NOT_FOUND',
        'GET',
        `${KEYS}/nokey`,
      );
    });

    it('§4.15 validation errors', async () => {
      const ext = name('Val');
      const other = name('Other');
      await kit.createExtension(devices(ext));
      await kit.createExtension(devices(other));
      const existing = name('idExisting');
      await kit.createKey({ name: existing, attributes: ['EmailAddress'] });
      const cases: [Json | unknown[], number, string][] = [
        [{ name: 'bad name', attributes: ['LastName'] }, 400, 'INVALID_NAME'],
        [{ name: existing.toLowerCase(), attributes: ['LastName'] }, 409, 'ALREADY_EXISTS'],
        [{ name: 'k1', source: 'NoSuchExt', attributes: ['serial'] }, 400, 'UNKNOWN_EXTENSION'],
        [{ name: 'k1', source: 'none', attributes: ['serial'] }, 400, 'INVALID_PARAMETER'],
        [{ name: 'k1', attributes: [] }, 400, 'INVALID_PARAMETER'],
        [{ name: 'k1' }, 400, 'MISSING_PARAMETER'],
        [{ name: 'k1', attributes: ['LastName', `${ext}.serial`] }, 400, 'MIXED_KEY_SOURCES'],
        [{ name: 'k1', attributes: [`${ext}.serial`, `${other}.serial`] }, 400, 'MIXED_KEY_SOURCES'],
        [{ name: 'k1', source: ext, attributes: [`${other}.serial`] }, 400, 'MIXED_KEY_SOURCES'],
        [{ name: 'k1', attributes: ['Nickname'] }, 400, 'UNKNOWN_ATTRIBUTE'],
        [{ name: 'k1', source: ext, attributes: ['colour'] }, 400, 'UNKNOWN_ATTRIBUTE'],
        [{ name: 'k1', attributes: ['LastName', 'lastname'] }, 400, 'INVALID_PARAMETER'],
        [{ name: 'k1', attributes: ['LastName'], unique: 'yes' }, 400, 'INVALID_PARAMETER'],
        [['k1'], 400, 'MALFORMED_JSON'],
      ];
      for (const [body, status, code] of cases) {
        const res = await kit.inMaintenance(() => kit.post(KEYS, body));
        expect({ body, code: (res.body as Json).code }).toEqual({ body, code });
        expectError(res, status, code, 'POST', KEYS);
      }
      expect((await kit.get(`${KEYS}/k1`)).status).toBe(404);
    });

    it('§4.15 unique:true over data where two customers share a value → 409 UNIQUE_CONSTRAINT_VIOLATION, nothing created', async () => {
      const tenant = { 'X-Genesys-TenantId': '4343' };
      await kit.createProfile({ PhoneNumber: ['+111', '+222'] }, tenant);
      await kit.createProfile({ PhoneNumber: '+222' }, tenant);
      const key = name('idPhone');
      const res = await kit.inMaintenance(() =>
        kit.post(KEYS, { name: key, attributes: ['PhoneNumber'], unique: true }, tenant),
      );
      expectError(res, 409, 'UNIQUE_CONSTRAINT_VIOLATION', 'POST', KEYS);
      expect((await kit.get(`${KEYS}/${key}`, tenant)).status).toBe(404);
      // The same key, not unique, indexes the existing data for identify.
      await kit.createKey({ name: key, attributes: ['PhoneNumber'] }, tenant);
      const found = await kit.get(`${PROFILES}?PhoneNumber=%2B222`, tenant);
      expect((found.body as Json[]).length).toBe(2);
    });

    it('§2.11 concurrent deletes of one key: one 204, the others 404, one deletion event (issue 7 fuzz)', async () => {
      const key = name('idRaced');
      await kit.createKey({ name: key, attributes: ['Title'] });
      const statuses = await kit.inMaintenance(() =>
        Promise.all([1, 2, 3, 4, 5, 6].map(async () => (await kit.delete(`${KEYS}/${key}`)).status)),
      );
      expect(statuses.sort()).toEqual([204, 404, 404, 404, 404, 404]);
      const deletions = (await recordedEvents(ucs.app)).filter(
        (e) => e.type === EventSubjects.ucsIdentificationKeyDeleted && (e.data as Json).name === key,
      );
      expect(deletions).toHaveLength(1);
    });

    it('§4.16 deletes a key (204) and its index: identify no longer uses it; unknown → 404', async () => {
      const tenant = { 'X-Genesys-TenantId': '4444' };
      const key = name('idTitle');
      await kit.createKey({ name: key, attributes: ['Title'], unique: true }, tenant);
      await kit.createProfile({ Title: 'Dr' }, tenant);
      expect((await kit.post(PROFILES, { Title: 'Dr' }, tenant)).status).toBe(409);
      const res = await kit.inMaintenance(() => kit.delete(`${KEYS}/${key.toUpperCase()}`, tenant));
      expect(res.status).toBe(204);
      expect((await kit.get(`${KEYS}/${key}`, tenant)).status).toBe(404);
      await kit.createProfile({ Title: 'Dr' }, tenant);
      expectError(
        await kit.get(`${PROFILES}?Title=Dr`, tenant),
        400,
        'NO_IDENTIFICATION_KEY',
        'GET',
        PROFILES,
      );
      const again = await kit.inMaintenance(() => kit.delete(`${KEYS}/${key}`, tenant));
      expectError(again, 404, 'IDENTIFICATION_KEY_NOT_FOUND', 'DELETE', `${KEYS}/${key}`);
    });

    it('§2.9 refuses key writes in production with 503 WRONG_SERVER_MODE', async () => {
      expectError(
        await kit.post(KEYS, { name: 'k9', attributes: ['Title'] }),
        503,
        'WRONG_SERVER_MODE',
        'POST',
        KEYS,
      );
      expectError(await kit.delete(`${KEYS}/k9`), 503, 'WRONG_SERVER_MODE', 'DELETE', `${KEYS}/k9`);
    });
  });

  describe('OpenAPI', () => {
    it('documents every profile, schema and key operation with its Genesys operation id', async () => {
      const doc = (await request(ucs.directUrl).get('/openapi.json')).body as {
        paths: Record<string, Record<string, { summary?: string; responses?: Record<string, unknown> }>>;
      };
      const expected: [string, string, string][] = [
        ['/profiles', 'post', 'CV.WS.PROF.3'],
        ['/profiles', 'get', 'CV.WS.CUSTID.1'],
        ['/profiles/{customer_id}', 'get', 'CV.WS.PROF.1'],
        ['/profiles/{customer_id}', 'put', 'CV.WS.PROF.2'],
        ['/profiles/{customer_id}', 'delete', 'CV.WS.PROF.8'],
        ['/profiles/{customer_id}/extensions', 'post', 'CV.WS.PROF.4'],
        ['/profiles/{customer_id}/extensions/{ext_name}/by/unique', 'put', 'CV.WS.PROF.6'],
        ['/profiles/{customer_id}/extensions/{ext_name}/delete/by/unique', 'put', 'CV.WS.PROF.7'],
        ['/profiles/{customer_id}/merge/{src_id}', 'put', 'CV.WS.PROF.MERGE.1'],
        ['/metadata/profiles', 'get', 'S1'],
        ['/metadata/profiles/extensions', 'post', 'CV.WS.PROF.META.4'],
        ['/metadata/profiles/extensions', 'get', 'CV.WS.PROF.META.3'],
        ['/metadata/profiles/extensions/{extension_name}', 'get', 'CV.WS.PROF.META.3'],
        ['/metadata/profiles/extensions/{extension_name}', 'delete', 'CV.WS.PROF.META.5'],
        ['/metadata/identification-keys', 'get', 'CV.WS.PROF.META.6'],
        ['/metadata/identification-keys/{key_name}', 'get', 'CV.WS.PROF.META.6'],
        ['/metadata/identification-keys', 'post', 'CV.WS.PROF.META.7'],
        ['/metadata/identification-keys/{key_name}', 'delete', 'CV.WS.PROF.META.8'],
      ];
      for (const [path, method, id] of expected) {
        const operation = doc.paths[`${BASE}${path}`]?.[method];
        expect({ path, method, summary: operation?.summary }).toEqual({
          path,
          method,
          summary: expect.stringContaining(id),
        });
        expect(Object.keys(operation?.responses ?? {})).toEqual(
          expect.arrayContaining(['400', '500', '503']),
        );
      }
    });
  });

  describe('events (ARCHITECTURE §6)', () => {
    it('publishes extension-schema and identification-key created/deleted events after commit', async () => {
      const ext = name('Evt');
      const key = name('idEvt');
      await kit.createExtension(devices(ext), { 'X-Genesys-TenantId': '77' });
      await kit.createKey({ name: key, source: ext, attributes: ['serial'] }, { 'X-Genesys-TenantId': '77' });
      await kit.inMaintenance(async () => {
        await kit.delete(`${KEYS}/${key}`, { 'X-Genesys-TenantId': '77' });
        await kit.delete(`${EXTENSIONS}/${ext}`, { 'X-Genesys-TenantId': '77' });
      });
      const events = (await recordedEvents(ucs.app)).filter((e) => e.tenant === '77');
      expect(events.map((e) => e.type)).toEqual([
        EventSubjects.ucsExtensionSchemaCreated,
        EventSubjects.ucsIdentificationKeyCreated,
        EventSubjects.ucsIdentificationKeyDeleted,
        EventSubjects.ucsExtensionSchemaDeleted,
      ]);
      expect(events[0].data).toMatchObject({ name: ext, type: 'multi-valued', unique: ['serial'] });
      expect(events[1].data).toEqual({ name: key, attributes: [`${ext}.serial`] });
    });

    it('publishes nothing for a refused write', async () => {
      const ext = name('Twice');
      await kit.createExtension({ name: ext, type: 'single-valued' });
      const before = (await recordedEvents(ucs.app)).length;
      await kit.inMaintenance(async () => {
        expect((await kit.post(EXTENSIONS, { name: 'x y', type: 'single-valued' })).status).toBe(400);
        expect((await kit.post(EXTENSIONS, { name: ext, type: 'single-valued' })).status).toBe(409);
        expect((await kit.delete(`${KEYS}/nothing`)).status).toBe(404);
      });
      const schemaEvents = (await recordedEvents(ucs.app))
        .slice(before)
        .filter((e) => e.type !== EventSubjects.ucsServerModeChanged);
      expect(schemaEvents).toEqual([]);
    });
  });
});
