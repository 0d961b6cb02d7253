import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EventSubjects, makeEvent, type EventEnvelope } from '@cs/contracts';
import { outboxPublisher, testBackends, waitFor, type EventPublisher } from '@cs/testing';
import { ServicesMover } from '../src/profile-events/services-mover';
import { startGms, type StartedGms } from './start-gms';
import { listenForEvents, type EventListener } from './support';

const BASE = '/genesys/1/cs';
type Json = Record<string, unknown>;

let sequence = 0;
const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(sequence++).toString(36)}`;

/**
 * ARCHITECTURE §6 flow 3: `cs.ucs.profile.merged` moves the source customer's services to the
 * destination (decision 0005 for `keep_active_service_only`), delivered as the outbox relay of ucs
 * delivers it: JetStream CS_EVENTS, or the `cs.events.deliver` request in the embedded mode.
 */
describe.each(testBackends().map((b) => [b.name, b] as const))(
  'gms profile merge events (%s)',
  (_, backend) => {
    let gms: StartedGms;
    let outbox: EventPublisher;
    let listener: EventListener;

    beforeAll(async () => {
      gms = await startGms(backend);
      outbox = await outboxPublisher(gms.env, ['gms']);
      listener = await listenForEvents(gms.env);
    });

    afterAll(async () => {
      await outbox?.close();
      await listener?.close();
      await gms?.close();
    });

    async function start(customerId: string, tenant = '1'): Promise<string> {
      const res = await request(gms.url)
        .post(`${BASE}/services/start`)
        .set('ContactCenterId', tenant)
        .send({ customer_id: customerId });
      expect(res.status).toBe(201);
      return (res.body as { service_id: string }).service_id;
    }

    async function end(serviceId: string): Promise<void> {
      const res = await request(gms.url).post(`${BASE}/services/${serviceId}/end`).send({});
      expect(res.status).toBe(204);
    }

    async function service(serviceId: string, tenant = '1'): Promise<{ status: number; body: Json }> {
      const res = await request(gms.url).get(`${BASE}/services/${serviceId}`).set('ContactCenterId', tenant);
      return { status: res.status, body: res.body as Json };
    }

    async function servicesOf(customerId: string, tenant = '1'): Promise<string[]> {
      const res = await request(gms.url)
        .get(`${BASE}/customers/${customerId}/services`)
        .set('ContactCenterId', tenant);
      expect(res.status).toBe(200);
      return (res.body as { service_id: string }[]).map((s) => s.service_id).sort();
    }

    async function processedCount(eventId: string): Promise<number> {
      const rows = (await gms.app
        .get(DataSource)
        .query('SELECT COUNT(*) AS n FROM processed_events WHERE event_id = ?', [eventId])) as {
        n: number | string;
      }[];
      return Number(rows[0].n);
    }

    async function updatedAt(serviceId: string): Promise<number> {
      const rows = (await gms.app
        .get(DataSource)
        .query('SELECT updated_at FROM services WHERE service_id = ?', [serviceId])) as {
        updated_at: number | string;
      }[];
      return Number(rows[0].updated_at);
    }

    function merged(src: string, dst: string, keepActiveOnly: boolean, tenant = '1'): EventEnvelope {
      return makeEvent(EventSubjects.ucsProfileMerged, tenant, {
        customer_id: dst,
        src_id: src,
        keep_uniq_from_src: false,
        keep_active_service_only: keepActiveOnly,
        profile: { customer_id: dst },
      });
    }

    async function deliver(event: EventEnvelope, msgId?: string): Promise<void> {
      await outbox.publish(event, { msgId });
      await waitFor(
        async () => (await processedCount(event.id)) > 0,
        15000,
        () => `event ${event.id} was not applied by gms`,
      );
    }

    it('§6 flow 3: every service of the source moves to the destination, updated_at touched, one associated event each', async () => {
      const [src, dst] = [unique('src'), unique('dst')];
      const active = await start(src);
      const completed = await start(src);
      await end(completed);
      const kept = await start(dst);
      const before = await updatedAt(active);
      const keptBefore = await updatedAt(kept);
      await new Promise((resolve) => setTimeout(resolve, 5));

      await deliver(merged(src, dst, false));

      expect(await servicesOf(src)).toEqual([]);
      expect(await servicesOf(dst)).toEqual([active, completed, kept].sort());
      expect((await service(active)).body.customer_id).toBe(dst);
      expect(await updatedAt(active)).toBeGreaterThan(before);
      expect(await updatedAt(kept)).toBe(keptBefore);
      for (const id of [active, completed]) {
        const event = await listener.next(
          (e) => e.type === EventSubjects.gmsServiceAssociated && (e.data as Json).service_id === id,
        );
        expect(event).toMatchObject({ tenant: '1', data: { service_id: id, customer_id: dst } });
      }
    });

    it('§6 flow 3 keep_active_service_only=true: active services move, completed ones are deleted (decision 0005)', async () => {
      const [src, dst] = [unique('src'), unique('dst')];
      const active = await start(src);
      const completed = await start(src);
      await end(completed);

      await deliver(merged(src, dst, true));

      expect(await servicesOf(dst)).toEqual([active]);
      expect(await servicesOf(src)).toEqual([]);
      expect(await service(completed)).toMatchObject({ status: 400, body: { code: 'SERVICE_NOT_FOUND' } });
      const deleted = await listener.next(
        (e) => e.type === EventSubjects.gmsServiceDeleted && (e.data as Json).service_id === completed,
      );
      expect(deleted.meta).toMatchObject({ reason: 'merge' });
    });

    it('§6 flow 3 applies an event id once: a second delivery moves nothing', async () => {
      const [src, dst] = [unique('src'), unique('dst')];
      const first = await start(src);
      const event = merged(src, dst, false);
      await deliver(event);
      expect(await servicesOf(dst)).toEqual([first]);

      // A service the source gains afterwards is not touched by a redelivery of the same event
      // (NATS: a relay retry after JetStream's de-duplication window, so it reaches the consumer).
      const later = await start(src);
      await outbox.publish(event, { msgId: randomUUID() });
      await deliver(merged(unique('none'), unique('none'), false)); // applied after the redelivery
      expect(await processedCount(event.id)).toBe(1);
      expect(await servicesOf(src)).toEqual([later]);
      expect(await servicesOf(dst)).toEqual([first]);
    });

    it('§6 flow 3 keeps tenants apart: only the services of the event tenant move', async () => {
      const [src, dst] = [unique('src'), unique('dst')];
      const mine = await start(src, '1');
      const other = await start(src, '101');
      await deliver(merged(src, dst, false, '1'));
      expect(await servicesOf(dst, '1')).toEqual([mine]);
      expect(await servicesOf(src, '101')).toEqual([other]);
    });

    it('§6 flow 3 retries after a failure and then applies the merge once', async () => {
      const [src, dst] = [unique('src'), unique('dst')];
      const id = await start(src);
      const mover = gms.app.get(ServicesMover);
      const spy = jest.spyOn(mover, 'apply').mockRejectedValueOnce(new Error('database away'));
      try {
        const event = merged(src, dst, false);
        if (gms.env.NATS_URL) {
          await deliver(event); // nak'ed once, redelivered about a second later
        } else {
          // Embedded: the failure is answered to the sender, whose relay retries.
          await expect(outbox.publish(event)).rejects.toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
          expect(await processedCount(event.id)).toBe(0);
          await deliver(event);
        }
        expect(spy).toHaveBeenCalledTimes(2);
        expect(await processedCount(event.id)).toBe(1);
        expect(await servicesOf(dst)).toEqual([id]);
      } finally {
        spy.mockRestore();
      }
    });

    it('§6 flow 3 acknowledges a merge event whose data cannot be read, changing nothing', async () => {
      const src = unique('src');
      const id = await start(src);
      const bad = makeEvent(EventSubjects.ucsProfileMerged, '1', { src_id: src });
      await outbox.publish(bad);
      await deliver(merged(unique('none'), unique('none'), false)); // applied after the bad one
      expect(await processedCount(bad.id)).toBe(0);
      expect(await servicesOf(src)).toEqual([id]);
    });
  },
);
