import { EventSubjects } from '@cs/contracts';
import { testBackends } from '@cs/testing';
import { DataSource } from 'typeorm';
import { PROFILES, ProfilesKit, expectError, uniq, type Json } from './profiles-kit';
import { recordedEvents } from '@cs/testing';
import { startUcs, type StartedUcs } from './start-ucs';

/**
 * Profiles with extensions: P1, P3, P4, P5, P6, P7, P9 (spec §4.1–§4.9), and the uniqueness rules
 * of §2.11 / §4.15 enforced by the lookup tables.
 */
describe.each(testBackends().map((b) => [b.name, b] as const))(
  'ucs profiles with extensions (%s)',
  (_, backend) => {
    let ucs: StartedUcs;
    let kit: ProfilesKit;

    beforeAll(async () => {
      ucs = await startUcs(backend);
      kit = await new ProfilesKit(ucs).start();
      await kit.createExtension({
        name: 'Devices',
        type: 'multi-valued',
        unique: ['serial'],
        attributes: [
          { name: 'serial', type: 'string', length: 12, mandatory: true },
          { name: 'model', type: 'string' },
          { name: 'activated', type: 'datetime' },
          { name: 'slots', type: 'integer', default: 1 },
        ],
      });
      await kit.createExtension({
        name: 'Loyalty',
        type: 'single-valued',
        attributes: [
          { name: 'tier', type: 'string', mandatory: true },
          { name: 'points', type: 'integer', default: 0 },
          { name: 'since', type: 'date' },
          { name: 'balance', type: 'currency' },
          { name: 'vip', type: 'boolean' },
          { name: 'ratio', type: 'double' },
          { name: 'big', type: 'long' },
        ],
      });
      await kit.createExtension({
        name: 'Notes',
        type: 'multi-valued',
        attributes: [{ name: 'text', type: 'string', mandatory: true }],
      });
      await kit.createKey({ name: 'idSerial', source: 'Devices', attributes: ['serial'], unique: true });
      await kit.createKey({ name: 'idEmail', attributes: ['EmailAddress'], unique: true });
    });

    afterAll(async () => {
      await ucs?.close();
    });

    afterEach(() => jest.restoreAllMocks());

    const profilePath = (id: string) => `${PROFILES}/${id}`;

    async function count(table: string, customerId: string): Promise<number> {
      const rows = (await ucs.app
        .get(DataSource)
        .query(`SELECT COUNT(*) AS n FROM ${table} WHERE customer_id = ?`, [customerId])) as {
        n: number | string;
      }[];
      return Number(rows[0].n);
    }

    describe('P1 create and P3 read with extensions (spec §4.1, §4.3, §3.3)', () => {
      it('§4.1 stores extensions; §4.3 returns only the requested ones, typed, defaults applied, schema casing', async () => {
        const serial = uniq('S').slice(0, 12);
        const id = await kit.createProfile({
          FirstName: 'Maria',
          EmailAddress: [`${uniq('m')}@x.org`, 'second@x.org'],
          devices: [{ SERIAL: serial, model: 'X100', activated: '2021-02-03T12:00:00+02:00' }],
          LOYALTY: {
            tier: 'gold',
            since: '2015-04-01',
            balance: '12.50',
            vip: 'TRUE',
            ratio: '0.5',
            big: '9007199254740993',
          },
        });
        const core = await kit.profile(id);
        expect(Object.keys(core).sort()).toEqual(['EmailAddress', 'FirstName', 'customer_id']);
        expect(await kit.profile(id, ' devices , Loyalty')).toEqual({
          customer_id: id,
          FirstName: 'Maria',
          EmailAddress: core.EmailAddress,
          Devices: [{ serial, model: 'X100', activated: '2021-02-03T10:00:00.000Z', slots: 1 }],
          Loyalty: {
            tier: 'gold',
            points: 0,
            since: '2015-04-01',
            balance: 12.5,
            vip: true,
            ratio: 0.5,
            big: '9007199254740993',
          },
        });
      });

      it('§4.3 (A-36) omits a requested single-valued extension without a record; a multi-valued one is []', async () => {
        const id = await kit.createProfile({ FirstName: 'Empty' });
        expect(await kit.profile(id, 'Loyalty,Devices,Notes')).toEqual({
          customer_id: id,
          FirstName: 'Empty',
          Devices: [],
          Notes: [],
        });
      });

      it('§4.3 answers an unknown extension in extensions= with 400 UNKNOWN_EXTENSION', async () => {
        const id = await kit.createProfile({ FirstName: 'X' });
        expectError(
          await kit.get(`${profilePath(id)}?extensions=Devices,Nope`),
          400,
          'UNKNOWN_EXTENSION',
          'GET',
          profilePath(id),
        );
      });

      it.each([
        [
          'a single-valued extension given an array',
          { FirstName: 'a', Loyalty: [{ tier: 'x' }] },
          400,
          'INVALID_ATTRIBUTE_VALUE',
        ],
        [
          'a multi-valued extension given an object',
          { FirstName: 'a', Devices: { serial: 'S' } },
          400,
          'INVALID_ATTRIBUTE_VALUE',
        ],
        [
          'an unknown record attribute',
          { FirstName: 'a', Loyalty: { tier: 'x', colour: 'red' } },
          400,
          'UNKNOWN_ATTRIBUTE',
        ],
        [
          'a missing mandatory attribute',
          { FirstName: 'a', Loyalty: { points: 3 } },
          400,
          'MISSING_MANDATORY_ATTRIBUTE',
        ],
        [
          'a missing unique attribute (treated as mandatory)',
          { FirstName: 'a', Devices: [{ model: 'M' }] },
          400,
          'MISSING_MANDATORY_ATTRIBUTE',
        ],
        [
          'a string over its length',
          { FirstName: 'a', Devices: [{ serial: 'X'.repeat(13) }] },
          400,
          'INVALID_ATTRIBUTE_VALUE',
        ],
        [
          'a non-integral integer',
          { FirstName: 'a', Loyalty: { tier: 'x', points: 1.5 } },
          400,
          'INVALID_ATTRIBUTE_VALUE',
        ],
        [
          'a bad boolean',
          { FirstName: 'a', Loyalty: { tier: 'x', vip: 'maybe' } },
          400,
          'INVALID_ATTRIBUTE_VALUE',
        ],
        [
          'a bad datetime',
          { FirstName: 'a', Devices: [{ serial: 'Q1', activated: '2021-02-03' }] },
          400,
          'INVALID_ATTRIBUTE_VALUE',
        ],
        [
          'a record that is not an object',
          { FirstName: 'a', Devices: ['Q1'] },
          400,
          'INVALID_ATTRIBUTE_VALUE',
        ],
        ['no core attribute, only an extension', { Loyalty: { tier: 'x' } }, 400, 'MISSING_PARAMETER'],
        [
          'two submitted records with the same unique values',
          { FirstName: 'a', Devices: [{ serial: 'DUP1' }, { serial: 'DUP1', model: 'other' }] },
          409,
          'UNIQUE_CONSTRAINT_VIOLATION',
        ],
      ])('§4.1 rejects %s and stores nothing', async (_name, body, status, code) => {
        const tenant = { 'X-Genesys-TenantId': '1' };
        const before = (await ucs.app.get(DataSource).query('SELECT COUNT(*) AS n FROM profiles')) as {
          n: string;
        }[];
        expectError(await kit.post(PROFILES, body, tenant), status, code, 'POST', PROFILES);
        const after = (await ucs.app.get(DataSource).query('SELECT COUNT(*) AS n FROM profiles')) as {
          n: string;
        }[];
        expect(Number(after[0].n)).toBe(Number(before[0].n));
      });
    });

    describe('uniqueness (spec §2.11, §4.15, A-03)', () => {
      it('§4.15 a unique extension key refuses the same serial for another customer (409); the same customer may keep it', async () => {
        const serial = uniq('U').slice(0, 12);
        const a = await kit.createProfile({ FirstName: 'A', Devices: [{ serial }] });
        expectError(
          await kit.post(PROFILES, { FirstName: 'B', Devices: [{ serial }] }),
          409,
          'UNIQUE_CONSTRAINT_VIOLATION',
          'POST',
          PROFILES,
        );
        // P4 on the owner keeps its own tuple.
        expect(
          (await kit.put(profilePath(a), { FirstName: 'A2', Devices: [{ serial, model: 'M' }] })).status,
        ).toBe(200);
      });

      it('§4.15 a unique core key compares every value (secondary values too), exactly and case-sensitively', async () => {
        const mail = `${uniq('k')}@x.org`;
        await kit.createProfile({ FirstName: 'A', EmailAddress: ['first@x.org', mail] });
        expectError(
          await kit.post(PROFILES, { EmailAddress: mail }),
          409,
          'UNIQUE_CONSTRAINT_VIOLATION',
          'POST',
          PROFILES,
        );
        await kit.createProfile({ EmailAddress: mail.toUpperCase() });
      });

      it('§2.11 50 concurrent creates with the same unique value: exactly one 201, 49 × 409', async () => {
        const mail = `${uniq('race')}@x.org`;
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            kit.post(PROFILES, { FirstName: `R${i}`, EmailAddress: mail }),
          ),
        );
        const statuses = results.map((r) => r.status).sort();
        expect(statuses.filter((s) => s === 201)).toHaveLength(1);
        expect(statuses.filter((s) => s === 409)).toHaveLength(49);
        for (const res of results.filter((r) => r.status === 409))
          expect((res.body as Json).code).toBe('UNIQUE_CONSTRAINT_VIOLATION');
        const found = await kit.get(`${PROFILES}?EmailAddress=${encodeURIComponent(mail)}`);
        expect((found.body as Json[]).length).toBe(1);
      });
    });

    describe('P4 PUT /profiles/{id} (spec §4.4)', () => {
      it('§4.4 replaces all core attributes, replaces named extensions, keeps the others; 200 with empty body', async () => {
        const id = await kit.createProfile({
          FirstName: 'Maria',
          LastName: 'Silva',
          EmailAddress: [`${uniq('p')}@x.org`, `${uniq('q')}@x.org`],
          Devices: [{ serial: uniq('D').slice(0, 12) }],
          Loyalty: { tier: 'gold' },
          Notes: [{ text: 'one' }],
        });
        const before = await kit.profile(id, 'Devices');
        const res = await kit.put(profilePath(id), {
          customer_id: id,
          firstname: 'Maria',
          LastName: 'Silva-Costa',
          Notes: [],
        });
        expect(res.status).toBe(200);
        expect(res.text).toBe('');
        expect(await kit.profile(id, 'Devices,Loyalty,Notes')).toEqual({
          customer_id: id,
          FirstName: 'Maria',
          LastName: 'Silva-Costa',
          Devices: before.Devices,
          Loyalty: { tier: 'gold', points: 0 },
          Notes: [],
        });
        expect((await kit.put(profilePath(id), { FirstName: 'M', Loyalty: null })).status).toBe(200);
        expect(await kit.profile(id, 'Loyalty')).toEqual({ customer_id: id, FirstName: 'M' });
      });

      it('§4.4 frees the values it drops: a removed unique e-mail can be used by another customer', async () => {
        const mail = `${uniq('free')}@x.org`;
        const id = await kit.createProfile({ FirstName: 'A', EmailAddress: mail });
        expect((await kit.put(profilePath(id), { FirstName: 'A' })).status).toBe(200);
        await kit.createProfile({ FirstName: 'B', EmailAddress: mail });
      });

      it('§4.4 errors in order: 404, CUSTOMER_ID_MISMATCH, validation, 409 — nothing changes', async () => {
        const taken = `${uniq('t')}@x.org`;
        await kit.createProfile({ EmailAddress: taken });
        const id = await kit.createProfile({ FirstName: 'Keep' });
        const missing = profilePath('0000000000000000');
        expectError(
          await kit.put(missing, { customer_id: 'other', Nope: 1 }),
          404,
          'PROFILE_NOT_FOUND',
          'PUT',
          missing,
        );
        expectError(
          await kit.put(profilePath(id), { customer_id: 'other', FirstName: 'x' }),
          400,
          'CUSTOMER_ID_MISMATCH',
          'PUT',
          profilePath(id),
        );
        expectError(await kit.put(profilePath(id), {}), 400, 'MISSING_PARAMETER', 'PUT', profilePath(id));
        expectError(
          await kit.put(profilePath(id), { FirstName: 'x', Nick: 'y' }),
          400,
          'UNKNOWN_ATTRIBUTE',
          'PUT',
          profilePath(id),
        );
        expectError(await kit.put(profilePath(id), [1]), 400, 'MALFORMED_JSON', 'PUT', profilePath(id));
        expectError(
          await kit.put(profilePath(id), { FirstName: 'x', EmailAddress: taken }),
          409,
          'UNIQUE_CONSTRAINT_VIOLATION',
          'PUT',
          profilePath(id),
        );
        expect(await kit.profile(id)).toEqual({ customer_id: id, FirstName: 'Keep' });
      });
    });

    describe('P5 POST /profiles/{id}/extensions (spec §4.5, A-11)', () => {
      it('§4.5 single-valued: replaced; multi-valued with unique: upsert; without unique: appended; 200 empty', async () => {
        const [s1, s2] = [uniq('A').slice(0, 12), uniq('B').slice(0, 12)];
        const id = await kit.createProfile({
          FirstName: 'P5',
          Devices: [{ serial: s1, model: 'old' }],
          Loyalty: { tier: 'gold', points: 5 },
          Notes: [{ text: 'n1' }],
        });
        const res = await kit.post(`${profilePath(id)}/extensions`, {
          customer_id: id,
          devices: [
            { serial: s1, activated: '2020-01-01T00:00:00Z' },
            { serial: s2, model: 'new' },
          ],
          Loyalty: { tier: 'platinum' },
          Notes: [{ text: 'n1' }],
        });
        expect(res.status).toBe(200);
        expect(res.text).toBe('');
        expect(await kit.profile(id, 'Devices,Loyalty,Notes')).toEqual({
          customer_id: id,
          FirstName: 'P5',
          Devices: [
            { serial: s1, activated: '2020-01-01T00:00:00.000Z', slots: 1 },
            { serial: s2, model: 'new', slots: 1 },
          ],
          Loyalty: { tier: 'platinum', points: 0 },
          Notes: [{ text: 'n1' }, { text: 'n1' }],
        });
      });

      it('§4.5 errors: 404, MISSING_PARAMETER, UNKNOWN_EXTENSION, validation, 409 (same request, other customer); nothing changes', async () => {
        const owned = uniq('O').slice(0, 12);
        await kit.createProfile({ FirstName: 'Owner', Devices: [{ serial: owned }] });
        const id = await kit.createProfile({ FirstName: 'P5e', Notes: [{ text: 'keep' }] });
        const path = `${profilePath(id)}/extensions`;
        const missing = `${profilePath('0000000000000000')}/extensions`;
        expectError(await kit.post(missing, { Notes: [] }), 404, 'PROFILE_NOT_FOUND', 'POST', missing);
        expectError(await kit.post(path, {}), 400, 'MISSING_PARAMETER', 'POST', path);
        expectError(await kit.post(path, { customer_id: id }), 400, 'MISSING_PARAMETER', 'POST', path);
        expectError(
          await kit.post(path, { customer_id: 'x', Notes: [] }),
          400,
          'CUSTOMER_ID_MISMATCH',
          'POST',
          path,
        );
        expectError(
          await kit.post(path, { Notes: [], FirstName: 'x' }),
          400,
          'UNKNOWN_EXTENSION',
          'POST',
          path,
        );
        expectError(
          await kit.post(path, { Notes: [{ text: 1 }] }),
          400,
          'INVALID_ATTRIBUTE_VALUE',
          'POST',
          path,
        );
        expectError(
          await kit.post(path, { Notes: [{ text: 'a' }], Devices: [{ serial: 'Z1' }, { serial: 'Z1' }] }),
          409,
          'UNIQUE_CONSTRAINT_VIOLATION',
          'POST',
          path,
        );
        expectError(
          await kit.post(path, { Notes: [{ text: 'a' }], Devices: [{ serial: owned }] }),
          409,
          'UNIQUE_CONSTRAINT_VIOLATION',
          'POST',
          path,
        );
        expect(await kit.profile(id, 'Notes,Devices')).toEqual({
          customer_id: id,
          FirstName: 'P5e',
          Notes: [{ text: 'keep' }],
          Devices: [],
        });
      });
    });

    describe('concurrent writes to one customer (spec §2.11)', () => {
      it('§2.11 20 concurrent P5 appends to one profile all land (no lost update)', async () => {
        const id = await kit.createProfile({ FirstName: 'Busy' });
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            kit.post(`${profilePath(id)}/extensions`, { Notes: [{ text: `n${i}` }] }),
          ),
        );
        expect(results.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 200));
        const notes = (await kit.profile(id, 'Notes')).Notes as Json[];
        expect(notes.map((n) => n.text).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `n${i}`).sort());
      });
    });

    describe('P6/P7 by unique (spec §4.6, §4.7)', () => {
      it('§4.6 partially updates the selected record (null clears an optional attribute); 204', async () => {
        const [s1, s2] = [uniq('E').slice(0, 12), uniq('F').slice(0, 12)];
        const id = await kit.createProfile({
          FirstName: 'P6',
          Devices: [
            { serial: s1, model: 'm1', activated: '2020-01-01T00:00:00Z' },
            { serial: s2, model: 'm2' },
          ],
        });
        const path = `${profilePath(id)}/extensions/DEVICES/by/unique`;
        const res = await kit.put(path, { Serial: s1, model: 'm1b', activated: null, slots: '4' });
        expect(res.status).toBe(204);
        expect((await kit.profile(id, 'Devices')).Devices).toEqual([
          { serial: s1, model: 'm1b', slots: 4 },
          { serial: s2, model: 'm2', slots: 1 },
        ]);
      });

      it('§4.6 errors: 404 profile, 404 extension, NOT_MULTI_VALUED, MISSING_UNIQUE_ATTRIBUTE, UNKNOWN_ATTRIBUTE, 404 record', async () => {
        const s1 = uniq('G').slice(0, 12);
        const id = await kit.createProfile({ FirstName: 'P6e', Devices: [{ serial: s1 }] });
        const at = (ext: string, pid = id) => `${profilePath(pid)}/extensions/${ext}/by/unique`;
        expectError(
          await kit.put(at('Devices', '0000000000000000'), { serial: s1 }),
          404,
          'PROFILE_NOT_FOUND',
          'PUT',
          at('Devices', '0000000000000000'),
        );
        expectError(await kit.put(at('Nope'), { serial: s1 }), 404, 'EXTENSION_NOT_FOUND', 'PUT', at('Nope'));
        expectError(
          await kit.put(at('Loyalty'), { tier: 'x' }),
          400,
          'NOT_MULTI_VALUED',
          'PUT',
          at('Loyalty'),
        );
        expectError(await kit.put(at('Notes'), { text: 'x' }), 400, 'NOT_MULTI_VALUED', 'PUT', at('Notes'));
        expectError(
          await kit.put(at('Devices'), { model: 'x' }),
          400,
          'MISSING_UNIQUE_ATTRIBUTE',
          'PUT',
          at('Devices'),
        );
        expectError(
          await kit.put(at('Devices'), { serial: s1, colour: 'x' }),
          400,
          'UNKNOWN_ATTRIBUTE',
          'PUT',
          at('Devices'),
        );
        expectError(
          await kit.put(at('Devices'), { serial: s1, slots: 'many' }),
          400,
          'INVALID_ATTRIBUTE_VALUE',
          'PUT',
          at('Devices'),
        );
        expectError(
          await kit.put(at('Devices'), { serial: 'NOPE', model: 'x' }),
          404,
          'EXTENSION_RECORD_NOT_FOUND',
          'PUT',
          at('Devices'),
        );
        expect((await kit.profile(id, 'Devices')).Devices).toEqual([{ serial: s1, slots: 1 }]);
      });

      it('§4.7 deletes the selected record, ignoring other attributes (A-21); 204; then 404 for the same record', async () => {
        const [s1, s2] = [uniq('H').slice(0, 12), uniq('I').slice(0, 12)];
        const id = await kit.createProfile({
          FirstName: 'P7',
          Devices: [{ serial: s1 }, { serial: s2, model: 'keep' }],
        });
        const path = `${profilePath(id)}/extensions/devices/delete/by/unique`;
        const res = await kit.put(path, { serial: s1, model: 'does not matter' });
        expect(res.status).toBe(204);
        expect((await kit.profile(id, 'Devices')).Devices).toEqual([{ serial: s2, model: 'keep', slots: 1 }]);
        expectError(await kit.put(path, { serial: s1 }), 404, 'EXTENSION_RECORD_NOT_FOUND', 'PUT', path);
        expectError(await kit.put(path, { model: 'keep' }), 400, 'MISSING_UNIQUE_ATTRIBUTE', 'PUT', path);
        const single = `${profilePath(id)}/extensions/Loyalty/delete/by/unique`;
        expectError(await kit.put(single, { tier: 'x' }), 400, 'NOT_MULTI_VALUED', 'PUT', single);
        // The deleted serial is free for another customer (its unique-key claim went with it).
        await kit.createProfile({ FirstName: 'Other', Devices: [{ serial: s1 }] });
      });
    });

    describe('P9 DELETE /profiles/{id} (spec §4.9)', () => {
      it('§4.9 removes the profile, its records and its index rows (200, empty); then 404', async () => {
        const serial = uniq('J').slice(0, 12);
        const mail = `${uniq('del')}@x.org`;
        const id = await kit.createProfile({
          FirstName: 'Del',
          EmailAddress: mail,
          Devices: [{ serial }],
          Loyalty: { tier: 'x' },
        });
        const res = await kit.delete(profilePath(id));
        expect(res.status).toBe(200);
        expect(res.text).toBe('');
        expectError(await kit.get(profilePath(id)), 404, 'PROFILE_NOT_FOUND', 'GET', profilePath(id));
        expect(await count('extension_records', id)).toBe(0);
        expect(await count('identification_entries', id)).toBe(0);
        expect(await count('unique_key_claims', id)).toBe(0);
        await kit.createProfile({ FirstName: 'Reuse', EmailAddress: mail, Devices: [{ serial }] });
        expectError(await kit.delete(profilePath(id)), 404, 'PROFILE_NOT_FOUND', 'DELETE', profilePath(id));
      });
    });

    describe('mode gating (spec §2.9)', () => {
      it('§2.9 refuses profile operations in maintenance mode with 503 WRONG_SERVER_MODE', async () => {
        await kit.inMaintenance(async () => {
          expectError(
            await kit.post(PROFILES, { FirstName: 'x' }),
            503,
            'WRONG_SERVER_MODE',
            'POST',
            PROFILES,
          );
          expectError(await kit.get(`${PROFILES}?FirstName=x`), 503, 'WRONG_SERVER_MODE', 'GET', PROFILES);
        });
      });
    });

    describe('events (ARCHITECTURE §6)', () => {
      it('publishes created, updated, extensions-updated and deleted with the profile and every extension', async () => {
        const tenant = { 'X-Genesys-TenantId': '1' };
        const id = await kit.createProfile({ FirstName: 'Ev', Loyalty: { tier: 'gold' } }, tenant);
        await kit.put(profilePath(id), { FirstName: 'Ev2' }, tenant);
        await kit.post(`${profilePath(id)}/extensions`, { Notes: [{ text: 'hi' }] }, tenant);
        await kit.delete(profilePath(id), tenant);
        const events = (await recordedEvents(ucs.app)).filter((e) => (e.data as Json).customer_id === id);
        expect(events.map((e) => [e.type, e.data])).toEqual([
          [
            EventSubjects.ucsProfileCreated,
            {
              customer_id: id,
              FirstName: 'Ev',
              Devices: [],
              Loyalty: { tier: 'gold', points: 0 },
              Notes: [],
            },
          ],
          [
            EventSubjects.ucsProfileUpdated,
            {
              customer_id: id,
              FirstName: 'Ev2',
              Devices: [],
              Loyalty: { tier: 'gold', points: 0 },
              Notes: [],
            },
          ],
          [
            EventSubjects.ucsProfileExtensionsUpdated,
            {
              customer_id: id,
              FirstName: 'Ev2',
              Devices: [],
              Loyalty: { tier: 'gold', points: 0 },
              Notes: [{ text: 'hi' }],
            },
          ],
          [
            EventSubjects.ucsProfileDeleted,
            {
              customer_id: id,
              FirstName: 'Ev2',
              Devices: [],
              Loyalty: { tier: 'gold', points: 0 },
              Notes: [{ text: 'hi' }],
            },
          ],
        ]);
        expect(events[2].meta).toEqual({ extensions: ['Notes'] });
      });
    });
  },
);
