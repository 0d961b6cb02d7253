import { testBackends } from '@cs/testing';
import { EXTENSIONS, KEYS, PROFILES, ProfilesKit, expectError, type Json } from './profiles-kit';
import { startUcs, type StartedUcs } from './start-ucs';

const A = { 'X-Genesys-TenantId': '301' };
const B = { 'X-Genesys-TenantId': '302' };

/** Spec §2.10 / ARCHITECTURE §5: tenant A never sees or changes tenant B's schema, keys or profiles. */
describe.each(testBackends().map((b) => [b.name, b] as const))('ucs tenancy (%s)', (_, backend) => {
  let ucs: StartedUcs;
  let kit: ProfilesKit;
  let profileA: string;

  beforeAll(async () => {
    ucs = await startUcs(backend);
    kit = await new ProfilesKit(ucs).start();
    await kit.createExtension(
      {
        name: 'Devices',
        type: 'multi-valued',
        unique: ['serial'],
        attributes: [{ name: 'serial', type: 'string' }],
      },
      A,
    );
    await kit.createKey({ name: 'idSerial', source: 'Devices', attributes: ['serial'], unique: true }, A);
    await kit.createKey({ name: 'idEmail', attributes: ['EmailAddress'], unique: true }, A);
    profileA = await kit.createProfile(
      { FirstName: 'A', EmailAddress: 'same@x.org', Devices: [{ serial: 'SN-1' }] },
      A,
    );
  });

  afterAll(async () => {
    await ucs?.close();
  });

  it('§2.10 extension schemas are per tenant: B lists none, gets 404, and may reuse the name', async () => {
    expect(((await kit.get(EXTENSIONS, A)).body as Json[]).map((e) => e.name)).toEqual(['Devices']);
    expect((await kit.get(EXTENSIONS, B)).body).toEqual([]);
    expectError(
      await kit.get(`${EXTENSIONS}/Devices`, B),
      404,
      'EXTENSION_NOT_FOUND',
      'GET',
      `${EXTENSIONS}/Devices`,
    );
    const del = await kit.inMaintenance(() => kit.delete(`${EXTENSIONS}/Devices`, B));
    expectError(del, 404, 'EXTENSION_NOT_FOUND', 'DELETE', `${EXTENSIONS}/Devices`);
    await kit.createExtension(
      { name: 'DEVICES', type: 'single-valued', attributes: [{ name: 'x', type: 'string' }] },
      B,
    );
    expect((await kit.get(`${EXTENSIONS}/devices`, A)).body).toMatchObject({
      name: 'Devices',
      type: 'multi-valued',
    });
    expect((await kit.get(`${EXTENSIONS}/devices`, B)).body).toMatchObject({
      name: 'DEVICES',
      type: 'single-valued',
    });
  });

  it('§2.10 identification keys are per tenant', async () => {
    expect(((await kit.get(KEYS, A)).body as Json[]).map((k) => k.name)).toEqual(['idSerial', 'idEmail']);
    expect((await kit.get(KEYS, B)).body).toEqual([]);
    expectError(
      await kit.get(`${KEYS}/idEmail`, B),
      404,
      'IDENTIFICATION_KEY_NOT_FOUND',
      'GET',
      `${KEYS}/idEmail`,
    );
    const del = await kit.inMaintenance(() => kit.delete(`${KEYS}/idEmail`, B));
    expectError(del, 404, 'IDENTIFICATION_KEY_NOT_FOUND', 'DELETE', `${KEYS}/idEmail`);
    expect((await kit.get(`${KEYS}/idEmail`, A)).status).toBe(200);
  });

  it('§2.10 profiles are per tenant: read, update, extensions, by-unique, merge and delete from B answer 404', async () => {
    const path = `${PROFILES}/${profileA}`;
    expectError(await kit.get(path, B), 404, 'PROFILE_NOT_FOUND', 'GET', path);
    expectError(await kit.put(path, { FirstName: 'B' }, B), 404, 'PROFILE_NOT_FOUND', 'PUT', path);
    expectError(
      await kit.post(`${path}/extensions`, { Devices: [] }, B),
      404,
      'PROFILE_NOT_FOUND',
      'POST',
      `${path}/extensions`,
    );
    const byUnique = `${path}/extensions/Devices/delete/by/unique`;
    expectError(await kit.put(byUnique, { serial: 'SN-1' }, B), 404, 'PROFILE_NOT_FOUND', 'PUT', byUnique);
    const own = await kit.createProfile({ FirstName: 'B' }, B);
    const merge = `${PROFILES}/${own}/merge/${profileA}`;
    expectError(await kit.put(merge, {}, B), 404, 'PROFILE_NOT_FOUND', 'PUT', merge);
    expectError(await kit.delete(path, B), 404, 'PROFILE_NOT_FOUND', 'DELETE', path);
    expect(await kit.profile(profileA, 'Devices', A)).toEqual({
      customer_id: profileA,
      FirstName: 'A',
      EmailAddress: 'same@x.org',
      Devices: [{ serial: 'SN-1' }],
    });
  });

  it('§2.10 identify in B never returns A customers, and unique keys of A do not bind B', async () => {
    expect((await kit.get(`${PROFILES}?EmailAddress=same%40x.org`, A)).body).toEqual([
      { customer_id: profileA },
    ]);
    expectError(
      await kit.get(`${PROFILES}?EmailAddress=same%40x.org`, B),
      400,
      'NO_IDENTIFICATION_KEY',
      'GET',
      PROFILES,
    );
    await kit.createKey({ name: 'idEmail', attributes: ['EmailAddress'], unique: true }, B);
    expect((await kit.get(`${PROFILES}?EmailAddress=same%40x.org`, B)).body).toEqual([]);
    const inB = await kit.createProfile({ FirstName: 'B', EmailAddress: 'same@x.org' }, B);
    expect((await kit.get(`${PROFILES}?EmailAddress=same%40x.org`, B)).body).toEqual([{ customer_id: inB }]);
    expect((await kit.get(`${PROFILES}?EmailAddress=same%40x.org`, A)).body).toEqual([
      { customer_id: profileA },
    ]);
  });

  it('§2.10 B cannot write records of an extension only A defines', async () => {
    expectError(
      await kit.post(
        PROFILES,
        { FirstName: 'B', Devices: [{ serial: 'SN-9' }] },
        { 'X-Genesys-TenantId': '303' },
      ),
      400,
      'UNKNOWN_ATTRIBUTE',
      'POST',
      PROFILES,
    );
  });
});
