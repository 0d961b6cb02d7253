import request from 'supertest';
import { testBackends } from '@cs/testing';
import { InteractionsService } from '../src/interactions/interactions.service';
import { parseRecordRequest } from '../src/interactions/record-request';
import { BASE, EXTENSIONS, KEYS, PROFILES, ProfilesKit, expectError, uniq, type Json } from './profiles-kit';
import { startUcs, type StartedUcs } from './start-ucs';

/**
 * Regression tests for what a hostile-input review of the ucs API found (each title names the spec
 * section it checks). They run on both backends: several findings only showed on MySQL/MariaDB,
 * where even utf8mb4_bin ignores trailing spaces (PAD SPACE) and a database created beforehand with
 * the server's default collation also ignores case.
 */
describe.each(testBackends().map((b) => [b.name, b] as const))('ucs hostile input (%s)', (_, backend) => {
  let ucs: StartedUcs;
  let kit: ProfilesKit;

  beforeAll(async () => {
    ucs = await startUcs(backend);
    kit = await new ProfilesKit(ucs).start();
    await kit.createExtension({
      name: 'Loyalty',
      type: 'single-valued',
      attributes: [
        { name: 'tier', type: 'string', mandatory: true },
        { name: 'since', type: 'date' },
      ],
    });
    await kit.createExtension({
      name: 'Devices',
      type: 'multi-valued',
      unique: ['serial'],
      attributes: [
        { name: 'serial', type: 'string', mandatory: true },
        { name: 'model', type: 'string' },
      ],
    });
    await kit.createKey({ name: 'idEmail', attributes: ['EmailAddress'] });
  });

  afterAll(async () => {
    await ucs?.close();
  });

  /** The same letters in the other case ("aB1" → "Ab1"). */
  const swapCase = (id: string) =>
    [...id].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');

  /** A new profile whose id holds at least one letter, so that swapping its case changes it. */
  async function profileWithLetters(body: Json): Promise<string> {
    for (;;) {
      const id = await kit.createProfile(body);
      if (swapCase(id) !== id) return id;
    }
  }

  describe('§2.5 customer_id is compared exactly (case and trailing spaces count)', () => {
    it('P3, P4, P5, P9 and I1 answer 404 PROFILE_NOT_FOUND for the id in another case or with a trailing space', async () => {
      const id = await profileWithLetters({ FirstName: 'Exact', Loyalty: { tier: 'gold' } });
      const before = await kit.profile(id, 'Loyalty,Devices');
      for (const other of [swapCase(id), `${id} `]) {
        const path = `${PROFILES}/${encodeURIComponent(other)}`;
        expectError(await kit.get(path), 404, 'PROFILE_NOT_FOUND', 'GET', path);
        expectError(await kit.put(path, { FirstName: 'Changed' }), 404, 'PROFILE_NOT_FOUND', 'PUT', path);
        const records = `${path}/extensions`;
        expectError(
          await kit.post(records, { Devices: [{ serial: uniq('SN') }] }),
          404,
          'PROFILE_NOT_FOUND',
          'POST',
          records,
        );
        expectError(await kit.delete(path), 404, 'PROFILE_NOT_FOUND', 'DELETE', path);
        const interactions = `${BASE}/customers/${encodeURIComponent(other)}/interactions`;
        expectError(await kit.get(interactions), 404, 'PROFILE_NOT_FOUND', 'GET', interactions);
      }
      expect(await kit.profile(id, 'Loyalty,Devices')).toEqual(before);
    });

    it('§4.8 P8: merging a profile into its own id in another case or with a trailing space is refused and deletes nothing', async () => {
      const id = await profileWithLetters({ FirstName: 'Keep', EmailAddress: uniq('keep@x') });
      const before = await kit.profile(id);
      for (const other of [swapCase(id), `${id} `]) {
        const path = `${PROFILES}/${id}/merge/${encodeURIComponent(other)}`;
        expectError(await kit.put(path, {}), 404, 'PROFILE_NOT_FOUND', 'PUT', path);
        expect(await kit.profile(id)).toEqual(before);
      }
    });
  });

  describe('§2.5 / §4.22 interaction and service ids are compared exactly (I2, I3, I4)', () => {
    /** Written through the service behind `ucs.interaction.record`: a bus request could be
     * answered by another ucs on the shared NATS server. */
    const record = (payload: Json) => ucs.app.get(InteractionsService).record(parseRecordRequest(payload));

    it('another case or a trailing space finds no interaction, content or service', async () => {
      const id = `Ix${Date.now().toString(36)}Ab`;
      const service = `Svc-${id}`;
      const customerId = await kit.createProfile({ FirstName: 'Ixn' });
      const reply = await record({
        tenant: '1',
        interaction_id: id,
        customer_id: customerId,
        service_id: service,
        plain_text: 'hello',
      });
      expect(reply).toEqual({ interaction_id: id, created: true });
      expect((await kit.get(`${BASE}/interactions/${id}`)).status).toBe(200);
      for (const other of [swapCase(id), `${id} `]) {
        const one = `${BASE}/interactions/${encodeURIComponent(other)}`;
        expectError(await kit.get(one), 404, 'INTERACTION_NOT_FOUND', 'GET', one);
        const text = `${one}/plain_text`;
        expectError(await kit.get(text), 404, 'INTERACTION_NOT_FOUND', 'GET', text);
      }
      const ofService = (s: string) => kit.get(`${BASE}/services/${encodeURIComponent(s)}/interactions`);
      expect(((await ofService(service)).body as Json[]).map((i) => i.interaction_id)).toEqual([id]);
      expect((await ofService(swapCase(service))).body).toEqual([]);
      expect((await ofService(`${service} `)).body).toEqual([]);
    });
  });

  describe('§4.8 P8 body: empty or an object, nothing else', () => {
    it('a JSON null or true body is 400 INVALID_PARAMETER and merges nothing; no body merges', async () => {
      const dst = await kit.createProfile({ FirstName: 'Dst' });
      const src = await kit.createProfile({ FirstName: 'Src' });
      const path = `${PROFILES}/${dst}/merge/${src}`;
      for (const body of ['null', 'true']) {
        const res = await request(ucs.url).put(path).set('Content-Type', 'application/json').send(body);
        expectError(res, 400, 'INVALID_PARAMETER', 'PUT', path);
      }
      expect((await kit.get(`${PROFILES}/${src}`)).status).toBe(200);
      expect((await request(ucs.url).put(path)).status).toBe(204);
      expect(await kit.profile(dst)).toEqual({ customer_id: dst, FirstName: ['Dst', 'Src'] });
    });
  });

  describe('§2.6 extension and key names in a path are matched case-insensitively, but not padded', () => {
    it('S3 and S5 answer 404 for a known name followed by a space', async () => {
      const extension = `${EXTENSIONS}/Devices%20`;
      expectError(await kit.get(extension), 404, 'EXTENSION_NOT_FOUND', 'GET', extension);
      const key = `${KEYS}/idEmail%20`;
      expectError(await kit.get(key), 404, 'IDENTIFICATION_KEY_NOT_FOUND', 'GET', key);
      expect((await kit.get(`${EXTENSIONS}/dEVICES`)).status).toBe(200);
      expect((await kit.get(`${KEYS}/IDEMAIL`)).status).toBe(200);
    });
  });

  describe('§3.3 / §2.6 an attribute named twice in one record (differing only in case) is ambiguous', () => {
    it('P1 answers 400 INVALID_PARAMETER and creates nothing', async () => {
      const email = uniq('twice@x');
      const res = await kit.post(PROFILES, {
        FirstName: 'Twice',
        EmailAddress: email,
        Loyalty: { tier: 'gold', TIER: 'silver' },
      });
      expectError(res, 400, 'INVALID_PARAMETER', 'POST', PROFILES);
      expect((await kit.get(`${PROFILES}?EmailAddress=${encodeURIComponent(email)}`)).body).toEqual([]);
    });

    it('P5 answers 400 INVALID_PARAMETER and keeps the records', async () => {
      const id = await kit.createProfile({ FirstName: 'Twice', Devices: [{ serial: uniq('SN') }] });
      const before = await kit.profile(id, 'Devices');
      const path = `${PROFILES}/${id}/extensions`;
      const res = await kit.post(path, { Devices: [{ serial: uniq('SN'), model: 'a', Model: 'b' }] });
      expectError(res, 400, 'INVALID_PARAMETER', 'POST', path);
      expect(await kit.profile(id, 'Devices')).toEqual(before);
    });

    it('§4.6 P6 answers 400 INVALID_PARAMETER and leaves the record as it was', async () => {
      const serial = uniq('SN');
      const id = await kit.createProfile({ FirstName: 'Twice', Devices: [{ serial, model: 'orig' }] });
      const path = `${PROFILES}/${id}/extensions/Devices/by/unique`;
      const res = await kit.put(path, { serial, model: 'A', MODEL: 'B' });
      expectError(res, 400, 'INVALID_PARAMETER', 'PUT', path);
      expect((await kit.profile(id, 'Devices')).Devices).toEqual([{ serial, model: 'orig' }]);
    });

    it('§4.7 P7 answers 400 INVALID_PARAMETER for a unique attribute given twice and deletes nothing', async () => {
      const [a, b] = [uniq('SN'), uniq('SN')];
      const id = await kit.createProfile({ FirstName: 'Twice', Devices: [{ serial: a }, { serial: b }] });
      const path = `${PROFILES}/${id}/extensions/Devices/delete/by/unique`;
      expectError(await kit.put(path, { serial: a, SERIAL: b }), 400, 'INVALID_PARAMETER', 'PUT', path);
      expect((await kit.profile(id, 'Devices')).Devices).toEqual([{ serial: a }, { serial: b }]);
    });
  });

  describe('§4.5 P5 only adds records: null is not a record', () => {
    it('null for a single-valued extension is 400 INVALID_ATTRIBUTE_VALUE and the record stays', async () => {
      const id = await kit.createProfile({ FirstName: 'Null', Loyalty: { tier: 'gold' } });
      const path = `${PROFILES}/${id}/extensions`;
      expectError(await kit.post(path, { Loyalty: null }), 400, 'INVALID_ATTRIBUTE_VALUE', 'POST', path);
      expect((await kit.profile(id, 'Loyalty')).Loyalty).toEqual({ tier: 'gold' });
    });

    it('null for a multi-valued extension is 400 INVALID_ATTRIBUTE_VALUE', async () => {
      const serial = uniq('SN');
      const id = await kit.createProfile({ FirstName: 'Null', Devices: [{ serial }] });
      const path = `${PROFILES}/${id}/extensions`;
      expectError(await kit.post(path, { Devices: null }), 400, 'INVALID_ATTRIBUTE_VALUE', 'POST', path);
      expect((await kit.profile(id, 'Devices')).Devices).toEqual([{ serial }]);
    });

    it('§4.4 P4 still removes a single-valued record with null', async () => {
      const id = await kit.createProfile({ FirstName: 'Null', Loyalty: { tier: 'gold' } });
      expect((await kit.put(`${PROFILES}/${id}`, { FirstName: 'Null', Loyalty: null })).status).toBe(200);
      expect(await kit.profile(id, 'Loyalty')).toEqual({ customer_id: id, FirstName: 'Null' });
    });
  });

  describe('§4.2 / §4.15 every combination of multi-valued core values is indexed, or the write is refused', () => {
    const tenant = { 'X-Genesys-TenantId': '7301' };
    const values = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

    beforeAll(async () => {
      await kit.createKey({ name: 'idName', attributes: ['LastName', 'FirstName'] }, tenant);
      await kit.createKey(
        { name: 'idTitlePhone', attributes: ['Title', 'PhoneNumber'], unique: true },
        tenant,
      );
    });

    it('a profile with 1000 combinations is found by its last one (identify) and claims it (unique)', async () => {
      const [last, first] = [uniq('L'), uniq('F')];
      const id = await kit.createProfile(
        {
          LastName: values(last, 40),
          FirstName: values(first, 25),
          Title: values('T', 25),
          PhoneNumber: values(last, 40),
        },
        tenant,
      );
      const found = await kit.get(`${PROFILES}?LastName=${last}39&FirstName=${first}24`, tenant);
      expect(found.body).toEqual([{ customer_id: id }]);
      const clash = await kit.post(
        PROFILES,
        { FirstName: 'Other', Title: 'T24', PhoneNumber: `${last}39` },
        tenant,
      );
      expectError(clash, 409, 'UNIQUE_CONSTRAINT_VIOLATION', 'POST', PROFILES);
    });

    it('P1 and P4 beyond 1000 combinations for one key answer 400 INVALID_PARAMETER and change nothing', async () => {
      const last = uniq('L');
      const create = await kit.post(
        PROFILES,
        { LastName: values(last, 41), FirstName: values('F', 25) },
        tenant,
      );
      expectError(create, 400, 'INVALID_PARAMETER', 'POST', PROFILES);
      expect((await kit.get(`${PROFILES}?LastName=${last}0`, tenant)).body).toEqual([]);
      const id = await kit.createProfile({ LastName: last, FirstName: 'One' }, tenant);
      const path = `${PROFILES}/${id}`;
      const update = await kit.put(path, { Title: values('T', 50), PhoneNumber: values(last, 21) }, tenant);
      expectError(update, 400, 'INVALID_PARAMETER', 'PUT', path);
      expect(await kit.profile(id, undefined, tenant)).toEqual({
        customer_id: id,
        LastName: last,
        FirstName: 'One',
      });
    });
  });

  describe('§4 / §2.9 mode gating (503) is evaluated before any parsing of the body', () => {
    const MODE = `${BASE}/server/mode`;
    /** A raw body with exactly this Content-Type (the kit's string bodies are always JSON). */
    const send = (method: 'post' | 'put', path: string, body: string, contentType: string) =>
      request(ucs.url)[method](path).set('Content-Type', contentType).send(body);

    it('in maintenance, P1/P4/P5 with a malformed or non-JSON body answer 503 WRONG_SERVER_MODE, not 400/415', async () => {
      const id = await kit.createProfile({ FirstName: 'Gate' });
      await kit.inMaintenance(async () => {
        expectError(await kit.post(PROFILES, '{"FirstName":'), 503, 'WRONG_SERVER_MODE', 'POST', PROFILES);
        const asText = await send('post', PROFILES, 'FirstName=x', 'text/plain');
        expectError(asText, 503, 'WRONG_SERVER_MODE', 'POST', PROFILES);
        const update = `${PROFILES}/${id}`;
        const badUpdate = await send('put', update, '[1,', 'application/json');
        expectError(badUpdate, 503, 'WRONG_SERVER_MODE', 'PUT', update);
        const records = `${PROFILES}/${id}/extensions`;
        const xml = await send('post', records, '<x/>', 'application/xml');
        expectError(xml, 503, 'WRONG_SERVER_MODE', 'POST', records);
      });
    });

    it('in production, S2 and S6 with a malformed or non-JSON body answer 503 WRONG_SERVER_MODE', async () => {
      expectError(await kit.post(EXTENSIONS, '{"name":'), 503, 'WRONG_SERVER_MODE', 'POST', EXTENSIONS);
      const asText = await send('post', KEYS, 'name=k', 'text/plain');
      expectError(asText, 503, 'WRONG_SERVER_MODE', 'POST', KEYS);
    });

    it('routes open in every mode still answer 400/415 for a bad body (M1 in production and maintenance)', async () => {
      expectError(await kit.post(MODE, '{"mode":'), 400, 'MALFORMED_JSON', 'POST', MODE);
      await kit.inMaintenance(async () => {
        const asText = await send('post', MODE, 'mode=production', 'text/plain');
        expectError(asText, 415, 'UNSUPPORTED_MEDIA_TYPE', 'POST', MODE);
      });
    });

    it('in the right mode the body errors are unchanged (P1 400 MALFORMED_JSON, S2 415)', async () => {
      expectError(await kit.post(PROFILES, '{"FirstName":'), 400, 'MALFORMED_JSON', 'POST', PROFILES);
      await kit.inMaintenance(async () => {
        const asText = await send('post', EXTENSIONS, 'name=x', 'text/plain');
        expectError(asText, 415, 'UNSUPPORTED_MEDIA_TYPE', 'POST', EXTENSIONS);
      });
    });
  });

  describe('§2.4 date values YYYY-MM-DD cover every year 0000–9999', () => {
    it('accepts years below 100 in core and extension dates and reads them back unchanged', async () => {
      const id = await kit.createProfile({
        FirstName: 'Ancient',
        DOB: '0044-03-15',
        Loyalty: { tier: 'old', since: '0000-02-29' },
      });
      expect(await kit.profile(id, 'Loyalty')).toEqual({
        customer_id: id,
        FirstName: 'Ancient',
        DOB: '0044-03-15',
        Loyalty: { tier: 'old', since: '0000-02-29' },
      });
    });

    it('still rejects days that do not exist (0100-02-29, 1900-02-29) with 400 INVALID_ATTRIBUTE_VALUE', async () => {
      for (const body of [
        { FirstName: 'Bad', DOB: '0100-02-29' },
        { FirstName: 'Bad', Loyalty: { tier: 't', since: '1900-02-29' } },
      ]) {
        expectError(await kit.post(PROFILES, body), 400, 'INVALID_ATTRIBUTE_VALUE', 'POST', PROFILES);
      }
    });
  });
});
