import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  EventSubjects,
  makeEvent,
  RequestSubjects,
  type EventEnvelope,
  type InteractionRecordReply,
} from '@cs/contracts';
import { ApiError, createLogger, NatsBus, TcpBus, type MessageBus } from '@cs/platform';
import {
  expectErrorResponse,
  outboxPublisher,
  testBackends,
  waitFor,
  type EventPublisher,
} from '@cs/testing';
import { InteractionsRepository } from '../src/interactions/interactions.repository';
import { startUcs, type StartedUcs } from './start-ucs';

const BASE = '/genesys/1/cs';
const UCS_EXCEPTION = 'com.genesyslab.cs.ucs.ProfileException';
const logger = createLogger('test', 'silent');

type Json = Record<string, unknown>;

let sequence = 0;
/** A fresh id per test, so tests never see each other's rows. */
const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(sequence++).toString(36)}`;

/**
 * Interactions (spec §3.7, §4.20–§4.22) and how they are written (ARCHITECTURE §6): the
 * `ucs.interaction.record` request and the gms events that carry an interaction_id, over the
 * transport of each backend (TCP in the embedded mode, NATS with the real servers).
 */
describe.each(testBackends().map((b) => [b.name, b] as const))('ucs interactions (%s)', (_, backend) => {
  let ucs: StartedUcs;
  let bus: MessageBus;
  /** Events arrive as the outbox relay sends them: JetStream, or the `cs.events.deliver` request. */
  let outbox: EventPublisher;

  beforeAll(async () => {
    ucs = await startUcs(backend);
    bus = ucs.env.NATS_URL
      ? await NatsBus.connect(ucs.env.NATS_URL, 'test', 5000, logger)
      : new TcpBus('test', { ucs: { host: '127.0.0.1', port: ucs.env.UCS_TCP_PORT } }, 5000, logger);
    outbox = await outboxPublisher(ucs.env, ['ucs']);
  });

  afterAll(async () => {
    await bus?.close();
    await outbox?.close();
    await ucs?.close();
  });

  const get = (path: string, tenant?: string) => {
    const call = request(ucs.url).get(`${BASE}${path}`);
    return tenant === undefined ? call : call.set('X-Genesys-TenantId', tenant);
  };
  const link = (id: string, part: string) => `${ucs.url}${BASE}/interactions/${id}/${part}`;

  const record = (payload: Json) =>
    bus.request<InteractionRecordReply>(RequestSubjects.ucsInteractionRecord, payload);

  async function createProfile(tenant = '1'): Promise<string> {
    const res = await request(ucs.url)
      .post(`${BASE}/profiles`)
      .set('X-Genesys-TenantId', tenant)
      .send({ FirstName: 'Maria' });
    expect(res.status).toBe(201);
    return (res.body as { customer_id: string }).customer_id;
  }

  async function processedCount(eventId: string): Promise<number> {
    const rows = (await ucs.app
      .get(DataSource)
      .query('SELECT COUNT(*) AS n FROM processed_events WHERE event_id = ?', [eventId])) as {
      n: number | string;
    }[];
    return Number(rows[0].n);
  }

  /** Publishes and waits until ucs has applied the event (its id is in processed_events). */
  async function deliver(event: EventEnvelope): Promise<void> {
    await outbox.publish(event);
    await waitFor(
      async () => (await processedCount(event.id)) > 0,
      15000,
      () => `event ${event.id} (${event.type}) was not applied by ucs`,
    );
  }

  /** A gms service in the top-level form its events carry (gms spec §3.9). */
  function service(serviceId: string, started: Json, extra: Json = {}): Json {
    return { service_id: serviceId, started, ...extra };
  }

  describe(`request ${RequestSubjects.ucsInteractionRecord} (ARCHITECTURE §6) and I3 (spec §4.22)`, () => {
    it('§3.7 records every field; I3 returns the single object with content as absolute links only', async () => {
      const id = unique('ix');
      const customerId = await createProfile();
      const reply = await record({
        tenant: '1',
        interaction_id: id,
        customer_id: customerId,
        service_id: 'svc-1',
        status: 3,
        entity_type: 0,
        type: 'Inbound',
        sub_type: 'InboundNew',
        media_type: 'email',
        parent_id: 'p-1',
        thread_id: 't-1',
        external_id: 'ext-1',
        owner_id: 1207,
        creator_app_id: 117,
        start_date: '2024-03-02T10:15:00+01:00',
        end_date: '2024-03-02T09:31:12Z',
        timeshift: 60,
        subject: 'Password reset',
        udata: { Segment: 'retail' },
        from: { address: 'maria@example.org', personal: 'Maria' },
        to: [{ address: 'support@example.com' }],
        sent_date: '2024-03-02T09:14:00.000Z',
        plain_text: 'Hello',
        structured_text: '<p>Hello</p>',
        binary_content: Buffer.from([0, 1, 2, 255]).toString('base64'),
      });
      expect(reply).toEqual({ interaction_id: id, created: true });

      const res = await get(`/interactions/${id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        interaction_id: id,
        customer_id: customerId,
        service_id: 'svc-1',
        status: 3,
        entity_type: 0,
        type: 'Inbound',
        sub_type: 'InboundNew',
        media_type: 'email',
        parent_id: 'p-1',
        thread_id: 't-1',
        external_id: 'ext-1',
        owner_id: 1207,
        creator_app_id: 117,
        start_date: '2024-03-02T09:15:00.000Z',
        end_date: '2024-03-02T09:31:12.000Z',
        timeshift: 60,
        subject: 'Password reset',
        udata: { Segment: 'retail' },
        from: { address: 'maria@example.org', personal: 'Maria' },
        to: [{ address: 'support@example.com' }],
        sent_date: '2024-03-02T09:14:00.000Z',
        text: link(id, 'plain_text'),
        structured_text: link(id, 'structured_text'),
        binary_content: link(id, 'binary_content'),
      });
    });

    it('§3.7 a first record with only the id takes the defaults; fields left out later keep their value', async () => {
      const id = unique('ix');
      await expect(record({ tenant: '1', interaction_id: id })).resolves.toEqual({
        interaction_id: id,
        created: true,
      });
      const first = (await get(`/interactions/${id}`)).body as Json;
      expect(first).toEqual({
        interaction_id: id,
        status: 0,
        entity_type: 7,
        type: 'Inbound',
        media_type: 'unknown',
        creator_app_id: 0,
        start_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      });

      await expect(
        record({ tenant: '1', interaction_id: id, media_type: 'chat', status: 2 }),
      ).resolves.toEqual({
        interaction_id: id,
        created: false,
      });
      await record({ tenant: '1', interaction_id: id, subject: 'Later' });
      expect((await get(`/interactions/${id}`)).body).toEqual({
        ...first,
        media_type: 'chat',
        entity_type: 2,
        status: 2,
        subject: 'Later',
      });
    });

    it('is idempotent: the same request twice leaves the same interaction', async () => {
      const id = unique('ix');
      const payload = {
        tenant: '1',
        interaction_id: id,
        media_type: 'voice',
        start_date: '2024-01-01T00:00:00.000Z',
        udata: { a: '1' },
        plain_text: 'x',
      };
      await record(payload);
      const once = (await get(`/interactions/${id}`)).body as Json;
      await expect(record(payload)).resolves.toEqual({ interaction_id: id, created: false });
      expect((await get(`/interactions/${id}`)).body).toEqual(once);
      const rows = (await ucs.app
        .get(DataSource)
        .query('SELECT COUNT(*) AS n FROM interactions WHERE tenant = ? AND interaction_id = ?', [
          '1',
          id,
        ])) as {
        n: string | number;
      }[];
      expect(Number(rows[0].n)).toBe(1);
    });

    it('§2.11 concurrent records of one new id: created once, one row, the state of one whole request', async () => {
      const id = unique('ix');
      const udata = (i: number) => ({ [`k${i}`]: String(i), n: String(i) });
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) => record({ tenant: '1', interaction_id: id, udata: udata(i) })),
      );
      expect(replies.filter((r) => r.created)).toHaveLength(1);
      const rows = (await ucs.app
        .get(DataSource)
        .query('SELECT COUNT(*) AS n FROM interactions WHERE tenant = ? AND interaction_id = ?', [
          '1',
          id,
        ])) as {
        n: string | number;
      }[];
      expect(Number(rows[0].n)).toBe(1);
      const view = (await get(`/interactions/${id}`)).body as { udata: Record<string, string> };
      expect(view.udata).toEqual(udata(Number(view.udata.n)));
    });

    it.each([
      ['no tenant', 'MISSING_PARAMETER', { interaction_id: 'x' }],
      ['no interaction_id', 'MISSING_PARAMETER', { tenant: '1' }],
      ['a numeric tenant', 'INVALID_PARAMETER', { tenant: 1, interaction_id: 'x' }],
      [
        'an interaction_id over 64 characters',
        'INVALID_PARAMETER',
        { tenant: '1', interaction_id: 'x'.repeat(65) },
      ],
      ['an undefined status', 'INVALID_PARAMETER', { tenant: '1', interaction_id: 'x', status: 9 }],
      ['entity_type 4', 'INVALID_PARAMETER', { tenant: '1', interaction_id: 'x', entity_type: 4 }],
      [
        'a date without a zone',
        'INVALID_PARAMETER',
        { tenant: '1', interaction_id: 'x', start_date: '2024-01-01T00:00:00' },
      ],
      [
        'an impossible date',
        'INVALID_PARAMETER',
        { tenant: '1', interaction_id: 'x', start_date: '2021-02-30T00:00:00Z' },
      ],
      [
        'a non-string udata value',
        'INVALID_PARAMETER',
        { tenant: '1', interaction_id: 'x', udata: { a: 1 } },
      ],
      [
        'an e-mail address without address',
        'INVALID_PARAMETER',
        { tenant: '1', interaction_id: 'x', to: [{ personal: 'P' }] },
      ],
      [
        'binary content that is not base64',
        'INVALID_PARAMETER',
        { tenant: '1', interaction_id: 'x', binary_content: '%%%' },
      ],
      [
        'a structured text media type that is not one',
        'INVALID_PARAMETER',
        {
          tenant: '1',
          interaction_id: 'x',
          structured_text: 'x',
          structured_text_mime_type: 'html\r\nX-Evil: 1',
        },
      ],
      ['an unknown field', 'INVALID_PARAMETER', { tenant: '1', interaction_id: 'x', colour: 'red' }],
      ['a payload that is not an object', 'INVALID_PARAMETER', ['x']],
    ])('rejects %s with ApiError 400 %s and stores nothing', async (_case, code, payload) => {
      const failure = bus.request(RequestSubjects.ucsInteractionRecord, payload);
      await expect(failure).rejects.toBeInstanceOf(ApiError);
      await expect(failure).rejects.toMatchObject({ status: 400, code });
      const rows = (await ucs.app
        .get(DataSource)
        .query("SELECT COUNT(*) AS n FROM interactions WHERE interaction_id = 'x'")) as {
        n: string | number;
      }[];
      expect(Number(rows[0].n)).toBe(0);
    });
  });

  describe('§4.22 I3/I4 — GET /interactions/{id} and its content', () => {
    it('I4 serves each content part with its media type', async () => {
      const id = unique('ix');
      const bytes = Buffer.from([0, 1, 2, 254, 255]);
      await record({
        tenant: '1',
        interaction_id: id,
        plain_text: 'Grüße',
        structured_text: '<b>Hi</b>',
        structured_text_mime_type: 'text/xml',
        binary_content: bytes.toString('base64'),
      });
      const plain = await get(`/interactions/${id}/plain_text`);
      expect(plain.status).toBe(200);
      expect(plain.headers['content-type']).toMatch(/^text\/plain;\s*charset=UTF-8$/i);
      expect(plain.text).toBe('Grüße');

      const structured = await get(`/interactions/${id}/structured_text`);
      expect(structured.status).toBe(200);
      expect(structured.headers['content-type']).toMatch(/^text\/xml/);
      expect(structured.headers['x-content-type-options']).toBe('nosniff');
      expect(structured.headers['content-security-policy']).toBe('sandbox');
      expect(structured.text).toBe('<b>Hi</b>');

      const binary = await get(`/interactions/${id}/binary_content`)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(binary.status).toBe(200);
      expect(binary.headers['content-type']).toBe('application/octet-stream');
      expect(Buffer.compare(binary.body as Buffer, bytes)).toBe(0);
    });

    it('structured text defaults to text/html', async () => {
      const id = unique('ix');
      await record({ tenant: '1', interaction_id: id, structured_text: '<i>x</i>' });
      const res = await get(`/interactions/${id}/structured_text`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
    });

    it('§2.1 I3 tolerates a trailing slash and decodes the path', async () => {
      const id = `${unique('ix')} a/b`;
      await record({ tenant: '1', interaction_id: id, plain_text: 't' });
      const res = await get(`/interactions/${encodeURIComponent(id)}/`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        interaction_id: id,
        text: link(encodeURIComponent(id), 'plain_text'),
      });
      expect((await get(`/interactions/${encodeURIComponent(id)}/plain_text`)).text).toBe('t');
    });

    it('I3 answers 404 INTERACTION_NOT_FOUND for an unknown id', async () => {
      const path = `${BASE}/interactions/nope-${unique('')}`;
      const res = await request(ucs.url).get(path);
      expectErrorResponse(res, {
        status: 404,
        code: 'INTERACTION_NOT_FOUND',
        method: 'GET',
        uri: path,
        exception: UCS_EXCEPTION,
      });
    });

    it('I4 answers 404 INTERACTION_NOT_FOUND for an unknown interaction and for an absent part', async () => {
      const id = unique('ix');
      await record({ tenant: '1', interaction_id: id, plain_text: 'only text' });
      for (const path of [
        `${BASE}/interactions/${id}/structured_text`,
        `${BASE}/interactions/${id}/binary_content`,
        `${BASE}/interactions/unknown-${id}/plain_text`,
      ]) {
        const res = await request(ucs.url).get(path);
        expectErrorResponse(res, {
          status: 404,
          code: 'INTERACTION_NOT_FOUND',
          method: 'GET',
          uri: path,
          exception: UCS_EXCEPTION,
        });
      }
      const view = (await get(`/interactions/${id}`)).body as Json;
      expect(view.text).toBe(link(id, 'plain_text'));
      expect(view).not.toHaveProperty('structured_text');
      expect(view).not.toHaveProperty('binary_content');
    });

    it('an unknown content part is not a route (404 ROUTE_NOT_FOUND)', async () => {
      const path = `${BASE}/interactions/x/html_text`;
      const res = await request(ucs.url).get(path);
      expectErrorResponse(res, { status: 404, code: 'ROUTE_NOT_FOUND', method: 'GET', uri: path });
    });

    it('interactions have no public write path (405 METHOD_NOT_ALLOWED)', async () => {
      const path = `${BASE}/interactions/x`;
      const res = await request(ucs.url).put(path).send({ status: 1 });
      expect(res.status).toBe(405);
      expect((res.body as Json).code).toBe('METHOD_NOT_ALLOWED');
    });
  });

  describe('§4.20 I1 — GET /customers/{customer_id}/interactions', () => {
    it('lists the customer’s interactions by start_date, then interaction_id; unknown query parameters are ignored', async () => {
      const customerId = await createProfile();
      const other = await createProfile();
      const p = unique('o');
      const at = (time: string) => `2024-05-01T${time}.000Z`;
      await record({
        tenant: '1',
        interaction_id: `${p}-c`,
        customer_id: customerId,
        start_date: at('10:00:00'),
      });
      await record({
        tenant: '1',
        interaction_id: `${p}-b`,
        customer_id: customerId,
        start_date: at('09:00:00'),
      });
      await record({
        tenant: '1',
        interaction_id: `${p}-a`,
        customer_id: customerId,
        start_date: at('10:00:00'),
      });
      await record({ tenant: '1', interaction_id: `${p}-z`, customer_id: other, start_date: at('08:00:00') });
      const res = await get(`/customers/${customerId}/interactions?limit=1&foo=bar`);
      expect(res.status).toBe(200);
      expect((res.body as Json[]).map((i) => [i.interaction_id, i.start_date, i.customer_id])).toEqual([
        [`${p}-b`, at('09:00:00'), customerId],
        [`${p}-a`, at('10:00:00'), customerId],
        [`${p}-c`, at('10:00:00'), customerId],
      ]);
    });

    it('answers [] for a customer without interactions', async () => {
      const customerId = await createProfile();
      const res = await get(`/customers/${customerId}/interactions`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
    });

    it('answers 404 PROFILE_NOT_FOUND for an unknown customer, even one that has interactions', async () => {
      const ghost = unique('G').padEnd(16, '0').slice(0, 16);
      await record({ tenant: '1', interaction_id: unique('ix'), customer_id: ghost });
      const path = `${BASE}/customers/${ghost}/interactions`;
      const res = await request(ucs.url).get(path);
      expectErrorResponse(res, {
        status: 404,
        code: 'PROFILE_NOT_FOUND',
        method: 'GET',
        uri: path,
        exception: UCS_EXCEPTION,
      });
    });
  });

  describe('§4.21 I2 — GET /services/{service_id}/interactions', () => {
    it('lists the interactions of the service in I1 order; [] (never 404) for an unknown service', async () => {
      const serviceId = unique('svc');
      const p = unique('s');
      await record({
        tenant: '1',
        interaction_id: `${p}-2`,
        service_id: serviceId,
        start_date: '2024-01-02T00:00:00Z',
      });
      await record({
        tenant: '1',
        interaction_id: `${p}-1`,
        service_id: serviceId,
        start_date: '2024-01-03T00:00:00Z',
      });
      await record({
        tenant: '1',
        interaction_id: `${p}-3`,
        service_id: 'other',
        start_date: '2024-01-01T00:00:00Z',
      });
      const res = await get(`/services/${serviceId}/interactions`);
      expect(res.status).toBe(200);
      expect((res.body as Json[]).map((i) => i.interaction_id)).toEqual([`${p}-2`, `${p}-1`]);
      expect((res.body as Json[])[0]).toMatchObject({ service_id: serviceId });

      const none = await get(`/services/${unique('none')}/interactions`);
      expect(none.status).toBe(200);
      expect(none.body).toEqual([]);
    });
  });

  describe('§2.10 tenancy', () => {
    it('tenant A never sees the interactions of tenant B (I1, I2, I3, I4)', async () => {
      const id = unique('ix');
      const serviceId = unique('svc');
      const customerB = await createProfile('101');
      await record({
        tenant: '101',
        interaction_id: id,
        customer_id: customerB,
        service_id: serviceId,
        plain_text: 'secret',
      });
      expect((await get(`/interactions/${id}`, '101')).status).toBe(200);
      expect((await get(`/services/${serviceId}/interactions`, '101')).body).toHaveLength(1);
      expect((await get(`/customers/${customerB}/interactions`, '101')).body).toHaveLength(1);

      expect((await get(`/interactions/${id}`, '1')).status).toBe(404);
      expect((await get(`/interactions/${id}/plain_text`, '1')).status).toBe(404);
      expect((await get(`/interactions/${id}`)).status).toBe(404);
      const byService = await get(`/services/${serviceId}/interactions`, '1');
      expect(byService.status).toBe(200);
      expect(byService.body).toEqual([]);
      expect((await get(`/customers/${customerB}/interactions`, '1')).status).toBe(404);
    });

    it('the same interaction id in two tenants is two interactions', async () => {
      const id = unique('ix');
      await record({ tenant: '1', interaction_id: id, subject: 'one' });
      await expect(record({ tenant: '101', interaction_id: id, subject: 'hundred-one' })).resolves.toEqual({
        interaction_id: id,
        created: true,
      });
      expect(((await get(`/interactions/${id}`, '1')).body as Json).subject).toBe('one');
      expect(((await get(`/interactions/${id}`, '101')).body as Json).subject).toBe('hundred-one');
    });
  });

  describe('gms events that carry an interaction_id (ARCHITECTURE §6 flow 1)', () => {
    it(`${EventSubjects.gmsServiceStarted}: records the interaction with its service and customer`, async () => {
      const id = unique('ix');
      const serviceId = unique('svc');
      const customerId = await createProfile();
      await deliver(
        makeEvent(
          EventSubjects.gmsServiceStarted,
          '1',
          service(
            serviceId,
            {
              timestamp: '2024-03-04T09:15:02.120Z',
              interaction_id: id,
              media_type: 'voice',
              application_id: 211,
            },
            { customer_id: customerId },
          ),
        ),
      );
      expect((await get(`/interactions/${id}`)).body).toEqual({
        interaction_id: id,
        customer_id: customerId,
        service_id: serviceId,
        status: 2,
        entity_type: 3,
        type: 'Inbound',
        media_type: 'voice',
        creator_app_id: 211,
        start_date: '2024-03-04T09:15:02.120Z',
      });
      expect(
        ((await get(`/customers/${customerId}/interactions`)).body as Json[]).map((i) => i.interaction_id),
      ).toEqual([id]);
      expect(
        ((await get(`/services/${serviceId}/interactions`)).body as Json[]).map((i) => i.interaction_id),
      ).toEqual([id]);
    });

    it('keeps the tenant of the envelope', async () => {
      const id = unique('ix');
      await deliver(
        makeEvent(EventSubjects.gmsServiceStarted, '101', service(unique('svc'), { interaction_id: id })),
      );
      expect((await get(`/interactions/${id}`, '101')).status).toBe(200);
      expect((await get(`/interactions/${id}`, '1')).status).toBe(404);
    });

    it('state and task events record the interactions of their started/completed events', async () => {
      const serviceId = unique('svc');
      const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((x) => unique(`ix${x}`));
      const state = (started: Json, completed?: Json) => ({
        service_id: serviceId,
        state_id: 1,
        started,
        ...(completed ? { completed } : {}),
      });
      await deliver(
        makeEvent(EventSubjects.gmsStateStarted, '1', state({ interaction_id: a, media_type: 'chat' })),
      );
      await deliver(makeEvent(EventSubjects.gmsStateCompleted, '1', state({}, { interaction_id: b })));
      await deliver(
        makeEvent(EventSubjects.gmsTaskStarted, '1', {
          service_id: serviceId,
          task_id: 1,
          started: { interaction_id: c },
        }),
      );
      await deliver(
        makeEvent(EventSubjects.gmsTaskCompleted, '1', {
          service_id: serviceId,
          task_id: 1,
          started: {},
          completed: { interaction_id: d, media_type: 'email' },
        }),
      );
      const listed = (await get(`/services/${serviceId}/interactions`)).body as Json[];
      expect(listed.map((i) => i.interaction_id).sort()).toEqual([a, b, c, d].sort());
      expect(listed.find((i) => i.interaction_id === a)).toMatchObject({
        media_type: 'chat',
        entity_type: 2,
      });
      expect(listed.find((i) => i.interaction_id === d)).toMatchObject({
        media_type: 'email',
        entity_type: 0,
      });
    });

    it(`${EventSubjects.gmsStateTransitioned}: reads from.completed and to.started`, async () => {
      const serviceId = unique('svc');
      const customerId = await createProfile();
      const [ended, begun, ignored] = ['e', 'b', 'i'].map((x) => unique(`ix${x}`));
      await deliver(
        makeEvent(EventSubjects.gmsStateTransitioned, '1', {
          from: {
            service_id: serviceId,
            customer_id: customerId,
            state_id: 1,
            started: { interaction_id: ignored },
            completed: { interaction_id: ended, timestamp: '2024-03-04T09:20:00.000Z' },
          },
          to: {
            service_id: serviceId,
            customer_id: customerId,
            state_id: 2,
            started: { interaction_id: begun, timestamp: '2024-03-04T09:20:00.000Z', previous_state_id: 1 },
          },
        }),
      );
      const listed = (await get(`/services/${serviceId}/interactions`)).body as Json[];
      expect(listed.map((i) => i.interaction_id).sort()).toEqual([ended, begun].sort());
      for (const item of listed) {
        expect(item).toMatchObject({ customer_id: customerId, start_date: '2024-03-04T09:20:00.000Z' });
      }
    });

    it(`${EventSubjects.gmsServiceCompleted}: the service’s interactions stop at its end`, async () => {
      const serviceId = unique('svc');
      const id = unique('ix');
      const started = { interaction_id: id, timestamp: '2024-03-04T09:00:00.000Z' };
      await deliver(makeEvent(EventSubjects.gmsServiceStarted, '1', service(serviceId, started)));
      await deliver(
        makeEvent(
          EventSubjects.gmsServiceCompleted,
          '1',
          service(serviceId, started, { completed: { timestamp: '2024-03-04T09:31:45.777Z' }, duration: 1 }),
        ),
      );
      expect((await get(`/interactions/${id}`)).body).toMatchObject({
        status: 3,
        start_date: '2024-03-04T09:00:00.000Z',
        end_date: '2024-03-04T09:31:45.777Z',
      });
    });

    it('an event seen before the start keeps the earliest start and what was recorded first', async () => {
      const id = unique('ix');
      const serviceId = unique('svc');
      await record({ tenant: '1', interaction_id: id, media_type: 'chat', creator_app_id: 5 });
      await deliver(
        makeEvent(
          EventSubjects.gmsServiceStarted,
          '1',
          service(serviceId, {
            interaction_id: id,
            media_type: 'voice',
            timestamp: '2020-01-01T00:00:00.000Z',
          }),
        ),
      );
      expect((await get(`/interactions/${id}`)).body).toMatchObject({
        service_id: serviceId,
        media_type: 'chat',
        creator_app_id: 5,
        start_date: '2020-01-01T00:00:00.000Z',
      });
    });

    it('§2.11 concurrent events naming one new interaction record it once, with the earliest start', async () => {
      const id = unique('ix');
      const serviceId = unique('svc');
      const events = Array.from({ length: 12 }, (_, i) =>
        makeEvent(EventSubjects.gmsTaskStarted, '1', {
          service_id: serviceId,
          task_id: i + 1,
          started: { interaction_id: id, timestamp: new Date(Date.UTC(2024, 0, 1, 12, i)).toISOString() },
        }),
      );
      await Promise.all([...events].reverse().map((event) => outbox.publish(event)));
      for (const event of events) {
        await waitFor(
          async () => (await processedCount(event.id)) > 0,
          15000,
          () => `event ${event.id} not applied`,
        );
      }
      const listed = (await get(`/services/${serviceId}/interactions`)).body as Json[];
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ interaction_id: id, start_date: '2024-01-01T12:00:00.000Z' });
    });

    it('an event without an interaction_id has nothing to apply: nothing recorded, not even its id', async () => {
      const serviceId = unique('svc');
      const event = makeEvent(
        EventSubjects.gmsServiceStarted,
        '1',
        service(serviceId, { media_type: 'voice' }),
      );
      await outbox.publish(event);
      // A later event is applied after the first one was handled (one consumer, in order).
      await deliver(
        makeEvent(
          EventSubjects.gmsServiceStarted,
          '1',
          service(unique('svc'), { interaction_id: unique('ixm') }),
        ),
      );
      expect(await processedCount(event.id)).toBe(0);
      expect((await get(`/services/${serviceId}/interactions`)).body).toEqual([]);
    });
  });

  describe(`${EventSubjects.gmsServiceAssociated} (ARCHITECTURE §6 flow 2)`, () => {
    it('an anonymous service’s interactions move to the customer it is associated with', async () => {
      const serviceId = unique('svc');
      const [first, second] = [unique('ix1'), unique('ix2')];
      await deliver(
        makeEvent(
          EventSubjects.gmsServiceStarted,
          '1',
          service(serviceId, { interaction_id: first }, { contact_key: 'k' }),
        ),
      );
      await record({ tenant: '1', interaction_id: second, service_id: serviceId });
      expect((await get(`/interactions/${first}`)).body).not.toHaveProperty('customer_id');

      const customerId = await createProfile();
      await deliver(
        makeEvent(
          EventSubjects.gmsServiceAssociated,
          '1',
          service(serviceId, { interaction_id: first }, { customer_id: customerId, contact_key: 'k' }),
        ),
      );
      const listed = (await get(`/customers/${customerId}/interactions`)).body as Json[];
      expect(listed.map((i) => i.interaction_id).sort()).toEqual([first, second].sort());
      for (const item of listed) expect(item.customer_id).toBe(customerId);
    });

    it('applies each event id once: a redelivered association does not undo a later change', async () => {
      const serviceId = unique('svc');
      const id = unique('ix');
      const [associated, later] = [await createProfile(), await createProfile()];
      await record({ tenant: '1', interaction_id: id, service_id: serviceId });
      const event = makeEvent(
        EventSubjects.gmsServiceAssociated,
        '1',
        service(serviceId, {}, { customer_id: associated }),
      );
      await deliver(event);
      expect(((await get(`/interactions/${id}`)).body as Json).customer_id).toBe(associated);

      await record({ tenant: '1', interaction_id: id, customer_id: later });
      // Delivered again (a relay retry after JetStream's de-duplication window): no second effect.
      await outbox.publish(event, { msgId: randomUUID() });
      // A later event is applied after the redelivery was handled (one consumer, in order).
      await deliver(
        makeEvent(
          EventSubjects.gmsServiceStarted,
          '1',
          service(unique('svc'), { interaction_id: unique('ixm') }),
        ),
      );
      expect(await processedCount(event.id)).toBe(1);
      expect(((await get(`/interactions/${id}`)).body as Json).customer_id).toBe(later);
    });
  });

  describe('§4.8 rule 4 (A-23) — InteractionsRepository.moveToCustomer, used by the profile merge', () => {
    it('moves every interaction of the source customer, in the caller’s transaction, within the tenant', async () => {
      const [source, destination] = [await createProfile(), await createProfile()];
      const [a, b, other] = [unique('ixa'), unique('ixb'), unique('ixo')];
      await record({ tenant: '1', interaction_id: a, customer_id: source });
      await record({ tenant: '1', interaction_id: b, customer_id: source });
      await record({ tenant: '101', interaction_id: other, customer_id: source });
      const repository = ucs.app.get(InteractionsRepository);
      const dataSource = ucs.app.get(DataSource);

      await expect(
        dataSource.transaction(async (manager) => {
          await repository.moveToCustomer(manager, '1', source, destination);
          throw new Error('merge failed later');
        }),
      ).rejects.toThrow('merge failed later');
      expect((await get(`/customers/${source}/interactions`)).body).toHaveLength(2);

      await dataSource.transaction((manager) => repository.moveToCustomer(manager, '1', source, destination));
      expect((await get(`/customers/${source}/interactions`)).body).toEqual([]);
      const moved = (await get(`/customers/${destination}/interactions`)).body as Json[];
      expect(moved.map((i) => i.interaction_id).sort()).toEqual([a, b].sort());
      expect(((await get(`/interactions/${other}`, '101')).body as Json).customer_id).toBe(source);
    });
  });
});
