import { EVENTS_STREAM, EventSubjects, type EventEnvelope } from '@cs/contracts';
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
import { DeliverPolicy, type NatsConnection } from 'nats';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { startGms, type StartedGms } from './start-gms';

const BASE = '/genesys/1/cs';

/**
 * The transactional outbox of gms (ARCHITECTURE §6 "Nothing acknowledged is lost"): a write and its
 * event commit together (ServiceWriter, Start Service); the relay delivers and marks after the ack.
 */
describe.each(testBackends().map((b) => [b.name, b] as const))('gms outbox (%s)', (_, backend) => {
  let gms: StartedGms;
  let peer: Receiver | undefined;
  let nc: NatsConnection | undefined;
  const since = new Date();

  beforeAll(async () => {
    gms = await startGms(backend, { CS_OUTBOX_POLL_MS: '100' });
    // Embedded mode: gms's relay delivers to ucs; a stand-in acknowledges there.
    if (!gms.env.NATS_URL) peer = await listenAsPeer(gms.env.UCS_TCP_PORT);
    else nc = await natsConnection(gms.env.NATS_URL);
  });

  afterAll(async () => {
    await nc?.drain();
    await gms?.close();
    await peer?.close();
  });

  const rowsOf = async (serviceId: string) =>
    (await outboxRecords(gms.app)).filter((r) => r.aggregate === `service:1:${serviceId}`);

  async function start(body: Record<string, unknown>): Promise<string> {
    const res = await request(gms.url).post(`${BASE}/services/start`).send(body);
    expect(res.status).toBe(201);
    return (res.body as { service_id: string }).service_id;
  }

  it('§4.1 Start Service stores the service and exactly one outbox row in one transaction, data = the new service', async () => {
    const id = await start({ customer_id: 'C-OUT', service_type: 'Sales', Order: { n: 1 } });
    const rows = await rowsOf(id);
    expect(rows).toHaveLength(1);
    expect(rows[0].subject).toBe(EventSubjects.gmsServiceStarted);
    expect(rows[0].envelope).toMatchObject({
      type: EventSubjects.gmsServiceStarted,
      tenant: '1',
      data: { service_id: id, customer_id: 'C-OUT', service_type: 'Sales', Order: { n: 1 } },
    });
  });

  it('§4.14 a state start stores one row with the state; §4.15 a rejected end (already completed) stores none', async () => {
    const id = await start({ contact_key: 'K-OUT' });
    const state = await request(gms.url)
      .post(`${BASE}/services/${id}/states/start`)
      .send({ state_type: 'A' });
    expect(state.status).toBe(201);
    const stateId = (state.body as { state_id: number }).state_id;
    expect(
      (await request(gms.url).post(`${BASE}/services/${id}/states/${stateId}/end`).send({})).status,
    ).toBe(204);
    const before = await rowsOf(id);
    expect(before.map((r) => r.subject)).toEqual([
      EventSubjects.gmsServiceStarted,
      EventSubjects.gmsStateStarted,
      EventSubjects.gmsStateCompleted,
    ]);
    expect(before[1].envelope.data).toMatchObject({ state_id: stateId, service_id: id });
    const again = await request(gms.url).post(`${BASE}/services/${id}/states/${stateId}/end`).send({});
    expect(again.status).toBe(400);
    const badExtension = await request(gms.url)
      .put(`${BASE}/services/${id}/states/${stateId}/extensions/V`)
      .set('Content-Type', 'application/json')
      .send('null');
    expect(badExtension.status).toBe(400);
    expect(await rowsOf(id)).toHaveLength(before.length);
  });

  it('§4.6 a delete stores its event with the service as it was; a delete of an unknown service stores none', async () => {
    const id = await start({ customer_id: 'C-DEL' });
    expect((await request(gms.url).delete(`${BASE}/services/${id}`)).status).toBe(200);
    const count = (await outboxRecords(gms.app)).length;
    // The service is gone now: a second delete is refused (400 SERVICE_NOT_FOUND) and writes nothing.
    const again = await request(gms.url).delete(`${BASE}/services/${id}`);
    expect({ status: again.status, code: (again.body as { code?: string }).code }).toEqual({
      status: 400,
      code: 'SERVICE_NOT_FOUND',
    });
    expect(await outboxRecords(gms.app)).toHaveLength(count);
    const rows = await rowsOf(id);
    expect(rows.map((r) => r.subject)).toEqual([
      EventSubjects.gmsServiceStarted,
      EventSubjects.gmsServiceDeleted,
    ]);
    expect(rows[1].envelope).toMatchObject({
      data: { service_id: id, customer_id: 'C-DEL' },
      meta: { reason: 'api' },
    });
  });

  it('§6 the relay delivers the rows in order and marks them sent after the acknowledgement', async () => {
    const id = await start({ customer_id: 'C-REL' });
    expect((await request(gms.url).post(`${BASE}/services/${id}/end`).send({})).status).toBe(204);
    await waitFor(
      async () => (await rowsOf(id)).every((r) => r.sentAt !== null),
      15000,
      () => `the outbox rows of ${id} were not all marked sent`,
    );
    const rows = await rowsOf(id);
    if (peer) {
      const delivered = peer.events.filter((e) => rows.some((r) => r.envelope.id === e.id));
      expect(delivered.map((e) => e.type)).toEqual([
        EventSubjects.gmsServiceStarted,
        EventSubjects.gmsServiceCompleted,
      ]);
    } else {
      for (const row of rows)
        expect(await copiesInStream(nc as NatsConnection, row.subject, row.envelope.id, since)).toBe(1);
    }
  });

  it('§6 a delivery repeated by the relay is stored once in CS_EVENTS (Nats-Msg-Id)', async () => {
    if (!nc) {
      // Embedded mode has no stream: the receiving service remembers processed event ids instead.
      expect(gms.env.NATS_URL).toBeUndefined();
      return;
    }
    const id = await start({ customer_id: 'C-TWICE' });
    await waitFor(
      async () => (await rowsOf(id))[0]?.sentAt !== null,
      15000,
      () => 'not sent',
    );
    const [row] = await rowsOf(id);
    await gms.app.get(DataSource).query('UPDATE outbox SET sent_at = NULL WHERE seq = ?', [row.seq]);
    await waitFor(
      async () => (await rowsOf(id))[0]?.sentAt !== null,
      15000,
      () => 'not sent again',
    );
    await gms.app.get(MessageBus).deliver(row.envelope, row.headers);
    expect(await copiesInStream(nc, row.subject, row.envelope.id, since)).toBe(1);
  });

  it('§6 an event over the NATS max payload is published without its largest data fields, named in meta.omitted', async () => {
    if (!nc) {
      // The TCP transport of the embedded mode has no payload limit.
      expect(gms.env.NATS_URL).toBeUndefined();
      return;
    }
    const maxPayload = nc.info?.max_payload ?? 1024 * 1024;
    const half = 'x'.repeat(Math.ceil(maxPayload * 0.6));
    const id = await start({ customer_id: 'C-BIG', interaction_id: 'IX-BIG', Big1: { v: half } });
    const put = await request(gms.url).put(`${BASE}/services/${id}/extensions/Big2`).send({ v: half });
    expect(put.status).toBe(200);
    await waitFor(
      async () => (await rowsOf(id)).every((r) => r.sentAt !== null),
      15000,
      () => 'the large events were not sent',
    );
    const rows = await rowsOf(id);
    expect(rows).toHaveLength(2);
    const published = await eventsInStream(nc, rows[1].subject, since);
    const update = published.find((e) => e.id === rows[1].envelope.id);
    // Nothing dropped: the event is there, with its identity; the two big extensions are left out.
    expect(update?.meta?.omitted).toEqual(expect.arrayContaining(['Big1']));
    expect(update?.data).toMatchObject({
      service_id: id,
      customer_id: 'C-BIG',
      started: { interaction_id: 'IX-BIG' },
    });
    const started = (await eventsInStream(nc, rows[0].subject, since)).find(
      (e) => e.id === rows[0].envelope.id,
    );
    expect(started?.meta?.omitted).toBeUndefined();
    expect(started?.data).toMatchObject({ service_id: id, Big1: { v: half } });
  });
});

async function eventsInStream(nc: NatsConnection, subject: string, since: Date): Promise<EventEnvelope[]> {
  const consumer = await nc.jetstream().consumers.get(EVENTS_STREAM, {
    filterSubjects: subject,
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: since.toISOString(),
  });
  const events: EventEnvelope[] = [];
  const messages = await consumer.fetch({ max_messages: 10_000, expires: 3000 });
  for await (const message of messages) {
    events.push(message.json());
    if (message.info.pending === 0) break;
  }
  return events;
}

// The shared drill (libs/testing) with gms's write: starting a service.
describeTransportOutage({
  name: 'gms',
  start: startGms,
  async write(url) {
    const res = await request(url).post(`${BASE}/services/start`).send({ customer_id: 'C-DOWN' });
    expect(res.status).toBe(201);
    return `service:1:${(res.body as { service_id: string }).service_id}`;
  },
  peerPort: (env) => env.UCS_TCP_PORT,
});
