import { EventSubjects, RequestSubjects, type InteractionRecordReply } from '@cs/contracts';
import { createLogger, MessageBus, NatsBus, TcpBus } from '@cs/platform';
import { testBackends } from '@cs/testing';
import { DataSource } from 'typeorm';
import { BASE, PROFILES, ProfilesKit, expectError, uniq, type Json } from './profiles-kit';
import { recordedEvents } from '@cs/testing';
import { startUcs, type StartedUcs } from './start-ucs';

const logger = createLogger('test', 'silent');

/** P8 merge (spec §4.8, A-22, A-23). */
describe.each(testBackends().map((b) => [b.name, b] as const))('ucs merge (%s)', (_, backend) => {
  let ucs: StartedUcs;
  let kit: ProfilesKit;
  let bus: MessageBus;

  beforeAll(async () => {
    ucs = await startUcs(backend);
    kit = await new ProfilesKit(ucs).start();
    bus = ucs.env.NATS_URL
      ? await NatsBus.connect(ucs.env.NATS_URL, 'test', 5000, logger)
      : new TcpBus('test', { ucs: { host: '127.0.0.1', port: ucs.env.UCS_TCP_PORT } }, 5000, logger);
    await kit.createExtension({
      name: 'Devices',
      type: 'multi-valued',
      unique: ['serial'],
      attributes: [
        { name: 'serial', type: 'string', mandatory: true },
        { name: 'model', type: 'string' },
      ],
    });
    await kit.createExtension({
      name: 'Loyalty',
      type: 'single-valued',
      attributes: [{ name: 'tier', type: 'string' }],
    });
    await kit.createExtension({
      name: 'Notes',
      type: 'multi-valued',
      attributes: [{ name: 'text', type: 'string' }],
    });
    await kit.createExtension({
      name: 'Phones',
      type: 'multi-valued',
      unique: ['number'],
      attributes: [
        { name: 'number', type: 'string' },
        { name: 'label', type: 'string' },
      ],
    });
    await kit.createKey({ name: 'idEmail', attributes: ['EmailAddress'], unique: true });
    await kit.createKey({ name: 'idNamePhone', attributes: ['LastName', 'PhoneNumber'], unique: true });
    await kit.createKey({ name: 'idSerial', source: 'Devices', attributes: ['serial'], unique: true });
  });

  afterAll(async () => {
    await bus?.close();
    await ucs?.close();
  });

  afterEach(() => jest.restoreAllMocks());

  const mergePath = (dst: string, src: string) => `${PROFILES}/${dst}/merge/${src}`;

  it('§4.8 rules 1–3 with defaults: dst values first, new src values appended (case-sensitive), dst wins conflicts; source deleted', async () => {
    const tag = uniq('a');
    const dst = await kit.createProfile({
      FirstName: 'Maria',
      EmailAddress: `${tag}-d@x.org`,
      Devices: [{ serial: `${tag}-1`, model: 'dst' }],
      Loyalty: { tier: 'dst' },
      Notes: [{ text: 'd' }],
    });
    const src = await kit.createProfile({
      FirstName: ['maria', 'Maria'],
      LastName: 'Silva',
      EmailAddress: `${tag}-s@x.org`,
      Devices: [{ serial: `${tag}-2`, model: 'src' }],
      Loyalty: { tier: 'src' },
      Notes: [{ text: 's' }],
    });
    const res = await kit.put(mergePath(dst, src), {});
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await kit.profile(dst, 'Devices,Loyalty,Notes')).toEqual({
      customer_id: dst,
      FirstName: ['Maria', 'maria'],
      LastName: 'Silva',
      EmailAddress: [`${tag}-d@x.org`, `${tag}-s@x.org`],
      Devices: [
        { serial: `${tag}-1`, model: 'dst' },
        { serial: `${tag}-2`, model: 'src' },
      ],
      Loyalty: { tier: 'dst' },
      Notes: [{ text: 'd' }, { text: 's' }],
    });
    expectError(await kit.get(`${PROFILES}/${src}`), 404, 'PROFILE_NOT_FOUND', 'GET', `${PROFILES}/${src}`);
    // The source's index entries are gone, the destination's include the merged values.
    const found = await kit.get(`${PROFILES}?EmailAddress=${encodeURIComponent(`${tag}-s@x.org`)}`);
    expect(found.body).toEqual([{ customer_id: dst }]);
    const rows = (await ucs.app
      .get(DataSource)
      .query('SELECT COUNT(*) AS n FROM extension_records WHERE customer_id = ?', [src])) as { n: string }[];
    expect(Number(rows[0].n)).toBe(0);
  });

  it('§4.8 records with the same unique values and single-valued records on both sides: keep_uniq_from_src picks the source', async () => {
    for (const keepSrc of [false, true]) {
      const dst = await kit.createProfile({
        FirstName: 'D',
        Phones: [
          { number: '+1', label: 'dst-home' },
          { number: '+2', label: 'dst-work' },
        ],
        Loyalty: { tier: 'dst' },
      });
      const src = await kit.createProfile({
        FirstName: 'S',
        Phones: [
          { number: '+2', label: 'src-work' },
          { number: '+3', label: 'src-mobile' },
        ],
        Loyalty: { tier: 'src' },
      });
      const body = keepSrc ? { keep_uniq_from_src: true } : { keep_uniq_from_src: false };
      expect((await kit.put(mergePath(dst, src), body)).status).toBe(204);
      expect(await kit.profile(dst, 'Phones,Loyalty')).toEqual({
        customer_id: dst,
        FirstName: ['D', 'S'],
        Phones: [
          { number: '+1', label: 'dst-home' },
          { number: '+2', label: keepSrc ? 'src-work' : 'dst-work' },
          { number: '+3', label: 'src-mobile' },
        ],
        Loyalty: { tier: keepSrc ? 'src' : 'dst' },
      });
    }
  });

  it('§4.8 (A-22) force_merge:true acts as keep_uniq_from_src:true; a single-valued record only on the source is copied', async () => {
    const dst = await kit.createProfile({ FirstName: 'D', Loyalty: { tier: 'dst' } });
    const src = await kit.createProfile({ FirstName: 'S', Loyalty: { tier: 'src' } });
    expect(
      (await kit.put(`${mergePath(dst, src)}/`, { force_merge: true, agent_id: '42', reason: 'dup' })).status,
    ).toBe(204);
    expect((await kit.profile(dst, 'Loyalty')).Loyalty).toEqual({ tier: 'src' });
    const dst2 = await kit.createProfile({ FirstName: 'D2' });
    const src2 = await kit.createProfile({ FirstName: 'S2', Loyalty: { tier: 'only-src' } });
    expect((await kit.put(mergePath(dst2, src2), undefined)).status).toBe(204);
    expect((await kit.profile(dst2, 'Loyalty')).Loyalty).toEqual({ tier: 'only-src' });
  });

  it('§4.8 rule 5: a unique-key violation against a third customer → 409, and nothing changes', async () => {
    const phone = uniq('+');
    // idNamePhone = (LastName, PhoneNumber): neither side holds a full tuple before the merge.
    const dst = await kit.createProfile({ FirstName: 'D', LastName: 'Silva', Notes: [{ text: 'd' }] });
    const src = await kit.createProfile({ FirstName: 'S', PhoneNumber: phone, Notes: [{ text: 's' }] });
    await kit.createProfile({ FirstName: 'Third', LastName: 'Silva', PhoneNumber: phone });
    const before = [await kit.profile(dst, 'Notes'), await kit.profile(src, 'Notes')];
    expectError(
      await kit.put(mergePath(dst, src), {}),
      409,
      'UNIQUE_CONSTRAINT_VIOLATION',
      'PUT',
      mergePath(dst, src),
    );
    expect([await kit.profile(dst, 'Notes'), await kit.profile(src, 'Notes')]).toEqual(before);
    const found = await kit.get(`${PROFILES}?PhoneNumber=${encodeURIComponent(phone)}&LastName=Silva`);
    expect((found.body as Json[]).length).toBe(1);
  });

  it('§4.8 rule 4 (A-23): the source interactions move to the destination in the same transaction', async () => {
    const dst = await kit.createProfile({ FirstName: 'D' });
    const src = await kit.createProfile({ FirstName: 'S' });
    const ix = uniq('ix');
    const reply = await bus.request<InteractionRecordReply>(RequestSubjects.ucsInteractionRecord, {
      tenant: '1',
      interaction_id: ix,
      customer_id: src,
      media_type: 'chat',
    });
    expect(reply.interaction_id).toBe(ix);
    expect(
      ((await kit.get(`${BASE}/customers/${src}/interactions`)).body as Json[]).map((i) => i.interaction_id),
    ).toEqual([ix]);
    expect((await kit.put(mergePath(dst, src), {})).status).toBe(204);
    const moved = (await kit.get(`${BASE}/customers/${dst}/interactions`)).body as Json[];
    expect(moved.map((i) => [i.interaction_id, i.customer_id])).toEqual([[ix, dst]]);
  });

  it('§4.8 errors in order: INVALID_MERGE, INVALID_PARAMETER, destination 404, source 404', async () => {
    const a = await kit.createProfile({ FirstName: 'A' });
    const ghost = '0000000000000000';
    expectError(await kit.put(mergePath(a, a), {}), 400, 'INVALID_MERGE', 'PUT', mergePath(a, a));
    expectError(
      await kit.put(mergePath(a, ghost), [true]),
      400,
      'INVALID_PARAMETER',
      'PUT',
      mergePath(a, ghost),
    );
    expectError(
      await kit.put(mergePath(a, ghost), { keep_uniq_from_src: 'yes' }),
      400,
      'INVALID_PARAMETER',
      'PUT',
      mergePath(a, ghost),
    );
    expectError(
      await kit.put(mergePath(a, ghost), { keep_active_service_only: 1 }),
      400,
      'INVALID_PARAMETER',
      'PUT',
      mergePath(a, ghost),
    );
    expectError(await kit.put(mergePath(ghost, a), {}), 404, 'PROFILE_NOT_FOUND', 'PUT', mergePath(ghost, a));
    expectError(await kit.put(mergePath(a, ghost), {}), 404, 'PROFILE_NOT_FOUND', 'PUT', mergePath(a, ghost));
    expect((await kit.profile(a)).FirstName).toBe('A');
  });

  it('publishes cs.ucs.profile.merged with the destination after the merge', async () => {
    const dst = await kit.createProfile({ FirstName: 'D' });
    const src = await kit.createProfile({ FirstName: 'S', Notes: [{ text: 'n' }] });
    expect((await kit.put(mergePath(dst, src), { keep_active_service_only: true })).status).toBe(204);
    const merged = (await recordedEvents(ucs.app)).filter(
      (e) => e.type === EventSubjects.ucsProfileMerged && (e.data as Json).customer_id === dst,
    );
    expect(merged.map((e) => [e.tenant, e.data])).toEqual([
      [
        '1',
        {
          customer_id: dst,
          src_id: src,
          keep_uniq_from_src: false,
          keep_active_service_only: true,
          profile: {
            customer_id: dst,
            FirstName: ['D', 'S'],
            Devices: [],
            Notes: [{ text: 'n' }],
            Phones: [],
          },
        },
      ],
    ]);
  });
});
