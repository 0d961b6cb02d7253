import { testBackends } from '@cs/testing';
import { PROFILES, ProfilesKit, expectError, type Json } from './profiles-kit';
import { startUcs, type StartedUcs } from './start-ucs';

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** P2 identify (spec §4.2, Appendix A, A-16 – A-18). */
describe.each(testBackends().map((b) => [b.name, b] as const))('ucs identify (%s)', (_, backend) => {
  let ucs: StartedUcs;
  let kit: ProfilesKit;
  let maria: string;
  let mario: string;
  let other: string;

  beforeAll(async () => {
    ucs = await startUcs(backend);
    kit = await new ProfilesKit(ucs).start();
    await kit.createExtension({
      name: 'Devices',
      type: 'multi-valued',
      unique: ['serial'],
      attributes: [
        { name: 'serial', type: 'string', mandatory: true },
        { name: 'model', type: 'string' },
        { name: 'slots', type: 'integer' },
      ],
    });
    await kit.createExtension({
      name: 'Loyalty',
      type: 'single-valued',
      attributes: [{ name: 'tier', type: 'string' }],
    });
    // Appendix A keys, in creation order K1, K2, K3, then one on two extension attributes.
    await kit.createKey({ name: 'idNameDob', attributes: ['LastName', 'FirstName', 'DOB'] });
    await kit.createKey({ name: 'idEmail', attributes: ['EmailAddress'] });
    await kit.createKey({ name: 'idSerial', source: 'Devices', attributes: ['serial'], unique: true });
    await kit.createKey({ name: 'idModelSlots', attributes: ['Devices.model', 'Devices.slots'] });
    maria = await kit.createProfile({
      FirstName: 'Maria',
      LastName: 'Silva',
      DOB: '1980-01-02',
      EmailAddress: ['maria@x.org', 'ms@work.org'],
      Devices: [
        { serial: 'SN-0001', model: 'X100', slots: 2 },
        { serial: 'SN-0002', model: 'X200', slots: 4 },
      ],
      Loyalty: { tier: 'gold' },
    });
    mario = await kit.createProfile({
      FirstName: 'Mario',
      LastName: 'Silva',
      DOB: '1975-07-07',
      EmailAddress: 'mario@x.org',
      Devices: [{ serial: 'SN-0003', model: 'X100', slots: 4 }],
    });
    other = await kit.createProfile({ FirstName: 'Maria', LastName: 'Costa', DOB: '1980-01-02' });
  });

  afterAll(async () => {
    await ucs?.close();
  });

  const identify = async (query: string): Promise<Json[]> => {
    const res = await kit.get(`${PROFILES}?${query}`);
    expect({ query, status: res.status }).toEqual({ query, status: 200 });
    return res.body as Json[];
  };
  const ids = async (query: string) => (await identify(query)).map((p) => p.customer_id as string);

  describe('Appendix A key inference', () => {
    it('§4.2 a fully covered key with the lowest id (K1) uses all three criteria', async () => {
      expect(await ids('LastName=Silva&FirstName=Maria&DOB=1980-01-02')).toEqual([maria]);
      expect(await ids('LastName=Costa&FirstName=Maria&DOB=1980-01-02')).toEqual([other]);
    });

    it('§4.2 K2 fully covered wins over a partly covered K1; LastName is ignored', async () => {
      expect(await ids('EmailAddress=maria%40x.org&LastName=Costa')).toEqual([maria]);
    });

    it('§4.2 no full cover: the best leading score (K1, 2) uses LastName and FirstName', async () => {
      expect(await ids('LastName=Silva&FirstName=Maria')).toEqual([maria]);
      expect(await ids('LastName=Silva')).toEqual([maria, mario].sort(byId));
    });

    it('§4.2 score 0 everywhere → 400 NO_IDENTIFICATION_KEY', async () => {
      expectError(
        await kit.get(`${PROFILES}?FirstName=Maria&DOB=1980-01-02`),
        400,
        'NO_IDENTIFICATION_KEY',
        'GET',
        PROFILES,
      );
    });

    it('§4.2 extension criteria need the prefix; names are case-insensitive, values case-sensitive', async () => {
      expect(await ids('devices.SERIAL=SN-0001')).toEqual([maria]);
      expect(await ids('Devices.serial=sn-0001')).toEqual([]);
      expectError(await kit.get(`${PROFILES}?serial=SN-0001`), 400, 'NO_IDENTIFICATION_KEY', 'GET', PROFILES);
    });

    it('§4.2 explicit id_key missing an attribute → 400 INCOMPLETE_IDENTIFICATION_KEY', async () => {
      expectError(
        await kit.get(`${PROFILES}?id_key=idNameDob&LastName=Silva`),
        400,
        'INCOMPLETE_IDENTIFICATION_KEY',
        'GET',
        PROFILES,
      );
    });
  });

  describe('matching rules (A-17)', () => {
    it('§4.2 a secondary value of a multi-valued core attribute matches', async () => {
      expect(await ids('EmailAddress=ms%40work.org')).toEqual([maria]);
    });

    it('§4.2 an explicit id_key (any case) uses that key only', async () => {
      expect(await ids('id_key=IDEMAIL&EmailAddress=mario%40x.org&LastName=Nobody')).toEqual([mario]);
    });

    it('§4.2 an extension key matches one single record holding all used criteria', async () => {
      expect(await ids('Devices.model=X100&Devices.slots=4')).toEqual([mario]);
      expect(await ids('Devices.model=X100&Devices.slots=2')).toEqual([maria]);
      expect(await ids('Devices.model=X200&Devices.slots=2')).toEqual([]);
      expect(await ids('Devices.model=X100')).toEqual([maria, mario].sort(byId));
    });

    it('§4.2 typed criteria are converted: integer "04" matches 4; a bad value → 400 INVALID_ATTRIBUTE_VALUE', async () => {
      expect(await ids('Devices.model=X200&Devices.slots=04')).toEqual([maria]);
      expectError(
        await kit.get(`${PROFILES}?Devices.model=X200&Devices.slots=four`),
        400,
        'INVALID_ATTRIBUTE_VALUE',
        'GET',
        PROFILES,
      );
      expectError(
        await kit.get(`${PROFILES}?LastName=Silva&FirstName=Maria&DOB=1980-13-01`),
        400,
        'INVALID_ATTRIBUTE_VALUE',
        'GET',
        PROFILES,
      );
    });

    it('§4.2 (A-16) unknown criteria are ignored, including a literal expr', async () => {
      expect(await ids('EmailAddress=mario%40x.org&Nickname=x&expr=whatever&Nope.attr=1')).toEqual([mario]);
    });

    it('§4.2 (A-18) no match → 200 []', async () => {
      expect(await identify('EmailAddress=nobody%40x.org')).toEqual([]);
    });

    it('§4.2 results are ascending by customer_id without duplicates', async () => {
      const found = await ids('LastName=Silva');
      expect(found).toEqual([...new Set(found)].sort(byId));
    });
  });

  describe('output (include_profile, extensions, include_extensions)', () => {
    it('§4.2 ids only by default', async () => {
      expect(await identify('EmailAddress=maria%40x.org')).toEqual([{ customer_id: maria }]);
    });

    it('§4.2 include_profile=yes (any case) returns every core attribute', async () => {
      expect(await identify('EmailAddress=maria%40x.org&include_profile=YES')).toEqual([
        {
          customer_id: maria,
          FirstName: 'Maria',
          LastName: 'Silva',
          DOB: '1980-01-02',
          EmailAddress: ['maria@x.org', 'ms@work.org'],
        },
      ]);
    });

    it('§4.2 extensions= with include_extensions=always (default), names trimmed', async () => {
      const found = await identify('LastName=Silva&extensions=%20loyalty%20,Devices');
      expect(found).toEqual(
        [
          {
            customer_id: maria,
            Loyalty: { tier: 'gold' },
            Devices: [
              { serial: 'SN-0001', model: 'X100', slots: 2 },
              { serial: 'SN-0002', model: 'X200', slots: 4 },
            ],
          },
          { customer_id: mario, Devices: [{ serial: 'SN-0003', model: 'X100', slots: 4 }] },
        ].sort((a, b) => byId(a.customer_id, b.customer_id)),
      );
    });

    it('§4.2 include_extensions=unique: extensions only when exactly one customer matches', async () => {
      expect(
        await identify(
          'Devices.serial=SN-0001&include_profile=yes&extensions=Loyalty&include_extensions=unique',
        ),
      ).toEqual([
        {
          customer_id: maria,
          FirstName: 'Maria',
          LastName: 'Silva',
          DOB: '1980-01-02',
          EmailAddress: ['maria@x.org', 'ms@work.org'],
          Loyalty: { tier: 'gold' },
        },
      ]);
      const two = await identify('LastName=Silva&extensions=Loyalty&include_extensions=unique');
      expect(two).toEqual(
        [{ customer_id: maria }, { customer_id: mario }].sort((a, b) => byId(a.customer_id, b.customer_id)),
      );
    });
  });

  describe('errors in evaluation order (spec §4.2)', () => {
    it.each([
      ['no query at all', '', 'MISSING_PARAMETER'],
      ['only reserved parameters', 'include_profile=yes&id_key=idEmail', 'MISSING_PARAMETER'],
      ['a bad include_profile', 'EmailAddress=a&include_profile=maybe', 'INVALID_PARAMETER'],
      ['a bad include_extensions', 'EmailAddress=a&include_extensions=sometimes', 'INVALID_PARAMETER'],
      ['an unknown extension in extensions=', 'EmailAddress=a&extensions=Loyalty,Nope', 'UNKNOWN_EXTENSION'],
      ['an unknown id_key', 'EmailAddress=a&id_key=idNope', 'UNKNOWN_IDENTIFICATION_KEY'],
      [
        'include_profile checked before id_key',
        'EmailAddress=a&id_key=idNope&include_profile=x',
        'INVALID_PARAMETER',
      ],
      [
        'extensions checked before id_key',
        'EmailAddress=a&id_key=idNope&extensions=Nope',
        'UNKNOWN_EXTENSION',
      ],
    ])('§4.2 %s → 400', async (_name, query, code) => {
      expectError(await kit.get(`${PROFILES}${query ? `?${query}` : ''}`), 400, code, 'GET', PROFILES);
    });

    it('§4.2 no key defined at all → 400 NO_IDENTIFICATION_KEY', async () => {
      const res = await kit.get(`${PROFILES}?EmailAddress=a`, { 'X-Genesys-TenantId': '9191' });
      expectError(res, 400, 'NO_IDENTIFICATION_KEY', 'GET', PROFILES);
    });
  });

  describe('index follows writes', () => {
    it('§4.2 identify sees updates, extension changes and deletes', async () => {
      const id = await kit.createProfile({
        FirstName: 'Idx',
        LastName: 'Follow',
        EmailAddress: 'follow@x.org',
      });
      expect(await ids('EmailAddress=follow%40x.org')).toEqual([id]);
      expect(
        (await kit.put(`${PROFILES}/${id}`, { LastName: 'Follow', EmailAddress: 'moved@x.org' })).status,
      ).toBe(200);
      expect(await ids('EmailAddress=follow%40x.org')).toEqual([]);
      expect(await ids('EmailAddress=moved%40x.org')).toEqual([id]);
      expect(
        (
          await kit.post(`${PROFILES}/${id}/extensions`, {
            Devices: [{ serial: 'SN-IDX', model: 'Z', slots: 9 }],
          })
        ).status,
      ).toBe(200);
      expect(await ids('Devices.model=Z&Devices.slots=9')).toEqual([id]);
      expect(
        (await kit.put(`${PROFILES}/${id}/extensions/Devices/by/unique`, { serial: 'SN-IDX', slots: 8 }))
          .status,
      ).toBe(204);
      expect(await ids('Devices.model=Z&Devices.slots=9')).toEqual([]);
      expect(await ids('Devices.model=Z&Devices.slots=8')).toEqual([id]);
      expect((await kit.delete(`${PROFILES}/${id}`)).status).toBe(200);
      expect(await ids('Devices.serial=SN-IDX')).toEqual([]);
    });
  });
});
