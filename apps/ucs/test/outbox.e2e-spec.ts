import { EventSubjects } from '@cs/contracts';
import { MessageBus } from '@cs/platform';
import {
  copiesInStream,
  describeTransportOutage,
  listenAsPeer,
  natsConnection,
  outboxRecords,
  testBackends,
  waitFor,
  type Receiver,
} from '@cs/testing';
import type { NatsConnection } from 'nats';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { startUcs, type StartedUcs } from './start-ucs';

const PROFILES = '/genesys/1/cs/profiles';
const EXTENSIONS = '/genesys/1/cs/metadata/profiles/extensions';

/**
 * The transactional outbox of ucs (ARCHITECTURE §6 "Nothing acknowledged is lost"): each write stores
 * its event in its own transaction; the relay delivers it (JetStream, or the embedded peers) and marks
 * it sent after the ack.
 */
describe.each(testBackends().map((b) => [b.name, b] as const))('ucs outbox (%s)', (_, backend) => {
  let ucs: StartedUcs;
  let peer: Receiver | undefined;
  let nc: NatsConnection | undefined;
  const since = new Date();

  beforeAll(async () => {
    ucs = await startUcs(backend, { CS_OUTBOX_POLL_MS: '100' });
    // Embedded mode: the relay delivers to gms; a stand-in acknowledges there.
    if (!ucs.env.NATS_URL) peer = await listenAsPeer(ucs.env.GMS_TCP_PORT);
    else nc = await natsConnection(ucs.env.NATS_URL);
  });

  afterAll(async () => {
    await nc?.drain();
    await ucs?.close();
    await peer?.close();
  });

  async function createProfile(body: Record<string, unknown>): Promise<string> {
    const res = await request(ucs.url).post(PROFILES).send(body);
    expect(res.status).toBe(201);
    return (res.body as { customer_id: string }).customer_id;
  }

  const sentOf = async (id: string) =>
    (await outboxRecords(ucs.app)).filter((r) => r.aggregate === `profile:1:${id}`);

  it('§4.1 a profile write stores exactly one outbox row, with the profile after the change and the request id', async () => {
    const res = await request(ucs.url)
      .post(PROFILES)
      .set('X-Request-Id', 'outbox-req-1')
      .send({ FirstName: 'Olga', EmailAddress: ['o@x.org', 'p@x.org'] });
    expect(res.status).toBe(201);
    const id = (res.body as { customer_id: string }).customer_id;
    const rows = await sentOf(id);
    expect(rows).toHaveLength(1);
    expect(rows[0].subject).toBe(EventSubjects.ucsProfileCreated);
    expect(rows[0].envelope).toMatchObject({
      type: EventSubjects.ucsProfileCreated,
      tenant: '1',
      data: { customer_id: id, FirstName: 'Olga', EmailAddress: ['o@x.org', 'p@x.org'] },
    });
    expect(rows[0].headers['x-request-id']).toBe('outbox-req-1');
  });

  it('§4.11 a rejected write stores no outbox row', async () => {
    const name = `OutboxExt${Date.now()}`;
    await request(ucs.url).post('/genesys/1/cs/server/mode').send({ mode: 'maintenance' }).expect(200);
    try {
      expect((await request(ucs.url).post(EXTENSIONS).send({ name, type: 'single-valued' })).status).toBe(
        201,
      );
      const before = (await outboxRecords(ucs.app)).length;
      expect((await request(ucs.url).post(EXTENSIONS).send({ name, type: 'single-valued' })).status).toBe(
        409,
      );
      expect(
        (await request(ucs.url).post(EXTENSIONS).send({ name: 'x y', type: 'single-valued' })).status,
      ).toBe(400);
      expect(await outboxRecords(ucs.app)).toHaveLength(before);
    } finally {
      await request(ucs.url).post('/genesys/1/cs/server/mode').send({ mode: 'production' }).expect(200);
    }
    const before = (await outboxRecords(ucs.app)).length;
    expect((await request(ucs.url).put(`${PROFILES}/nobody`).send({ FirstName: 'x' })).status).toBe(404);
    expect((await request(ucs.url).post(PROFILES).send({ NoSuchAttribute: 'x' })).status).toBe(400);
    expect(await outboxRecords(ucs.app)).toHaveLength(before);
  });

  it('§6 the relay delivers each row and marks it sent after the acknowledgement', async () => {
    const id = await createProfile({ FirstName: 'Sent' });
    await waitFor(
      async () => (await sentOf(id))[0]?.sentAt !== null,
      15000,
      () => `the outbox row of ${id} was not marked sent`,
    );
    const [row] = await sentOf(id);
    if (peer) {
      // Embedded mode: the acknowledged `cs.events.deliver` reached the peer, once.
      expect(peer.events.filter((e) => e.id === row.envelope.id)).toHaveLength(1);
    } else {
      expect(await copiesInStream(nc as NatsConnection, row.subject, row.envelope.id, since)).toBe(1);
    }
  });

  it('§6 a delivery repeated by the relay is stored once in CS_EVENTS (Nats-Msg-Id)', async () => {
    if (!nc) {
      // Embedded mode has no stream; the receiver de-duplicates by processed ids (consumer side).
      expect(ucs.env.NATS_URL).toBeUndefined();
      return;
    }
    const id = await createProfile({ FirstName: 'Twice' });
    await waitFor(
      async () => (await sentOf(id))[0]?.sentAt !== null,
      15000,
      () => 'not sent',
    );
    const [row] = await sentOf(id);
    // The relay crashed after the ack but before marking: the row is unsent again and goes out again.
    await ucs.app.get(DataSource).query('UPDATE outbox SET sent_at = NULL WHERE seq = ?', [row.seq]);
    await waitFor(
      async () => (await sentOf(id))[0]?.sentAt !== null,
      15000,
      () => 'not sent again',
    );
    // And once more straight through the bus.
    await ucs.app.get(MessageBus).deliver(row.envelope, row.headers);
    expect(await copiesInStream(nc, row.subject, row.envelope.id, since)).toBe(1);
  });
});

// The shared drill (libs/testing) with ucs's write: creating a profile.
describeTransportOutage({
  name: 'ucs',
  start: startUcs,
  async write(url) {
    const res = await request(url).post(PROFILES).send({ FirstName: 'Waiting' });
    expect(res.status).toBe(201);
    return `profile:1:${(res.body as { customer_id: string }).customer_id}`;
  },
  peerPort: (env) => env.GMS_TCP_PORT,
});
