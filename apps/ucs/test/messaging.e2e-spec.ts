import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  EventSubjects,
  makeEvent,
  RequestSubjects,
  type EventEnvelope,
  type ProfileView,
} from '@cs/contracts';
import { ApiError, createLogger, NatsBus, TcpBus, type MessageBus } from '@cs/platform';
import { outboxPublisher, testBackends, waitFor, type EventPublisher } from '@cs/testing';
import { startUcs, type StartedUcs } from './start-ucs';

const PROFILES = '/genesys/1/cs/profiles';
const CONSUMER = 'ucs.service-events';
const logger = createLogger('test', 'silent');

/**
 * ucs over its transport (ARCHITECTURE §6): `ucs.profile.get` requests and `cs.gms.service.started`
 * events, with a client built the way other services build theirs (NATS, or TCP in the embedded mode).
 */
describe.each(testBackends().map((b) => [b.name, b] as const))('ucs messaging (%s)', (_, backend) => {
  let ucs: StartedUcs;
  let bus: MessageBus;
  /** Events arrive as the outbox relay sends them: JetStream, or the `cs.events.deliver` request. */
  let outbox: EventPublisher;

  beforeAll(async () => {
    ucs = await startUcs(backend);
    bus = ucs.env.NATS_URL
      ? await NatsBus.connect(ucs.env.NATS_URL, 'test', 2000, logger)
      : new TcpBus('test', { ucs: { host: '127.0.0.1', port: ucs.env.UCS_TCP_PORT } }, 2000, logger);
    outbox = await outboxPublisher(ucs.env, ['ucs']);
  });

  afterAll(async () => {
    await bus?.close();
    await outbox?.close();
    await ucs?.close();
  });

  async function createProfile(body: Record<string, unknown>, tenant?: string): Promise<string> {
    let call = request(ucs.url).post(PROFILES);
    if (tenant !== undefined) call = call.set('X-Genesys-TenantId', tenant);
    const res = await call.send(body);
    expect(res.status).toBe(201);
    return (res.body as { customer_id: string }).customer_id;
  }

  async function processed(
    eventId: string,
  ): Promise<{ consumer: string; tenant: string; subject: string }[]> {
    return (await ucs.app
      .get(DataSource)
      .query('SELECT consumer, tenant, subject FROM processed_events WHERE event_id = ?', [eventId])) as {
      consumer: string;
      tenant: string;
      subject: string;
    }[];
  }

  async function untilProcessed(event: EventEnvelope): Promise<void> {
    await waitFor(
      async () => (await processed(event.id)).length > 0,
      15000,
      () => `event ${event.id} was not recorded by ucs`,
    );
  }

  describe(`request ${RequestSubjects.ucsProfileGet}`, () => {
    it('returns the profile created over HTTP, as GET /profiles/{id} does', async () => {
      const id = await createProfile({
        FirstName: 'Maria',
        EmailAddress: ['a@x.org', 'b@x.org'],
        DOB: '1962-05-10',
      });
      const profile = await bus.request<ProfileView>(RequestSubjects.ucsProfileGet, {
        tenant: '1',
        customer_id: id,
      });
      expect(profile).toEqual({
        customer_id: id,
        FirstName: 'Maria',
        EmailAddress: ['a@x.org', 'b@x.org'],
        DOB: '1962-05-10',
      });
      expect(profile).toEqual((await request(ucs.url).get(`${PROFILES}/${id}`)).body);
    });

    it('rejects an unknown id with ApiError 404 PROFILE_NOT_FOUND', async () => {
      const failure = bus.request(RequestSubjects.ucsProfileGet, {
        tenant: '1',
        customer_id: '0000000000000000',
      });
      await expect(failure).rejects.toBeInstanceOf(ApiError);
      await expect(failure).rejects.toMatchObject({ status: 404, code: 'PROFILE_NOT_FOUND' });
    });

    it('keeps tenants apart', async () => {
      const id = await createProfile({ FirstName: 'T101' }, '101');
      await expect(
        bus.request(RequestSubjects.ucsProfileGet, { tenant: '101', customer_id: id }),
      ).resolves.toEqual({
        customer_id: id,
        FirstName: 'T101',
      });
      await expect(
        bus.request(RequestSubjects.ucsProfileGet, { tenant: '1', customer_id: id }),
      ).rejects.toMatchObject({
        status: 404,
        code: 'PROFILE_NOT_FOUND',
      });
    });

    it('rejects a request without tenant or customer_id with 400 INVALID_PARAMETER', async () => {
      for (const payload of [{ customer_id: 'x' }, { tenant: '1' }, { tenant: 1, customer_id: 'x' }, null]) {
        const failure = bus.request(RequestSubjects.ucsProfileGet, payload);
        await expect(failure).rejects.toBeInstanceOf(ApiError);
        await expect(failure).rejects.toMatchObject({ status: 400, code: 'INVALID_PARAMETER' });
      }
    });
  });

  // An event that names an interaction: events without one have nothing to apply and are not recorded.
  describe(`event ${EventSubjects.gmsServiceStarted}`, () => {
    it('is recorded once by its id', async () => {
      const event = makeEvent(EventSubjects.gmsServiceStarted, '1', {
        service_id: 'x',
        started: { interaction_id: 'msg-x' },
      });
      await outbox.publish(event);
      await untilProcessed(event);
      expect(await processed(event.id)).toEqual([
        { consumer: CONSUMER, tenant: '1', subject: EventSubjects.gmsServiceStarted },
      ]);
    });

    it('keeps the tenant of the envelope', async () => {
      const event = makeEvent(EventSubjects.gmsServiceStarted, '101', {
        service_id: 'y',
        started: { interaction_id: 'msg-y' },
      });
      await outbox.publish(event);
      await untilProcessed(event);
      expect(await processed(event.id)).toEqual([
        { consumer: CONSUMER, tenant: '101', subject: EventSubjects.gmsServiceStarted },
      ]);
    });

    it('leaves one row when the same envelope is published twice', async () => {
      const event = makeEvent(EventSubjects.gmsServiceStarted, '1', {
        service_id: 'z',
        started: { interaction_id: 'msg-z' },
      });
      await outbox.publish(event);
      await outbox.publish(event);
      await untilProcessed(event);
      // A later event is recorded after both deliveries of the first one were handled.
      const marker = makeEvent(EventSubjects.gmsServiceStarted, '1', {
        service_id: 'marker',
        started: { interaction_id: 'msg-marker' },
      });
      await outbox.publish(marker);
      await untilProcessed(marker);
      expect(await processed(event.id)).toHaveLength(1);
    });
  });

  describe(`request ${RequestSubjects.ucsInteractionRecord}`, () => {
    it('records an interaction that GET /interactions/{id} (spec §4.22) then returns', async () => {
      const reply = await bus.request(RequestSubjects.ucsInteractionRecord, {
        tenant: '1',
        interaction_id: 'msg-ix-1',
        media_type: 'chat',
        start_date: '2024-03-02T09:15:00.000Z',
      });
      expect(reply).toEqual({ interaction_id: 'msg-ix-1', created: true });
      const res = await request(ucs.url).get('/genesys/1/cs/interactions/msg-ix-1');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ interaction_id: 'msg-ix-1', media_type: 'chat', entity_type: 2 });
    });

    it('rejects an invalid payload with ApiError 400 and the code of the RPC error', async () => {
      const failure = bus.request(RequestSubjects.ucsInteractionRecord, { tenant: '1' });
      await expect(failure).rejects.toBeInstanceOf(ApiError);
      await expect(failure).rejects.toMatchObject({ status: 400, code: 'MISSING_PARAMETER' });
    });
  });

  describe(`event ${EventSubjects.gmsTaskStarted}`, () => {
    it('records the interaction of its started event, linked to the service', async () => {
      const event = makeEvent(EventSubjects.gmsTaskStarted, '1', {
        service_id: 'msg-svc',
        task_id: 1,
        started: { interaction_id: 'msg-ix-2', media_type: 'voice' },
      });
      await outbox.publish(event);
      await untilProcessed(event);
      const res = await request(ucs.url).get('/genesys/1/cs/services/msg-svc/interactions');
      expect(res.status).toBe(200);
      expect(res.body).toEqual([
        expect.objectContaining({ interaction_id: 'msg-ix-2', service_id: 'msg-svc', media_type: 'voice' }),
      ]);
    });
  });

  describe('after ucs is closed', () => {
    it('rejects a request with 503 (no responder) instead of waiting', async () => {
      const id = await createProfile({ FirstName: 'Gone' });
      await expect(
        bus.request(RequestSubjects.ucsProfileGet, { tenant: '1', customer_id: id }),
      ).resolves.toMatchObject({ customer_id: id });
      await ucs.close();
      const failure = bus.request(
        RequestSubjects.ucsProfileGet,
        { tenant: '1', customer_id: id },
        { timeoutMs: 10000 },
      );
      await expect(failure).rejects.toBeInstanceOf(ApiError);
      await expect(failure).rejects.toMatchObject({ status: 503, code: 'NO_RESPONDER' });
    });
  });
});
