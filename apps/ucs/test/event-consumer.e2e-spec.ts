import { randomUUID } from 'node:crypto';
import { ClientTCP } from '@nestjs/microservices';
import { connect } from 'nats';
import { lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import {
  EVENT_DELIVERY_SUBJECT,
  EVENTS_STREAM,
  EventSubjects,
  makeEvent,
  type EventEnvelope,
} from '@cs/contracts';
import { outboxPublisher, testBackends, waitFor, type Backend, type EventPublisher } from '@cs/testing';
import { InteractionsService } from '../src/interactions/interactions.service';
import { startUcs, type StartedUcs } from './start-ucs';

/** How many rows of processed_events name the event in this instance's database. */
async function processedCount(ucs: StartedUcs, eventId: string): Promise<number> {
  const rows = (await ucs.app
    .get(DataSource)
    .query('SELECT COUNT(*) AS n FROM processed_events WHERE event_id = ?', [eventId])) as {
    n: number | string;
  }[];
  return Number(rows[0].n);
}

async function untilProcessed(ucs: StartedUcs, event: EventEnvelope): Promise<void> {
  await waitFor(
    async () => (await processedCount(ucs, event.id)) > 0,
    15000,
    () => `event ${event.id} was not applied`,
  );
}

const started = (serviceId: string, interactionId = `ix-${randomUUID()}`) =>
  makeEvent(EventSubjects.gmsServiceStarted, '1', {
    service_id: serviceId,
    started: { interaction_id: interactionId },
  });

/**
 * "Nothing acknowledged is lost" on the consuming side (ARCHITECTURE §6): events reach the ucs
 * handlers the way the outbox relay sends them, each event id has one effect, and a failed
 * handler gets the event again.
 */
describe.each(testBackends().map((b) => [b.name, b] as const))('event consumer (%s)', (_, backend) => {
  let ucs: StartedUcs;
  let outbox: EventPublisher;

  beforeAll(async () => {
    ucs = await startUcs(backend);
    outbox = await outboxPublisher(ucs.env, ['ucs']);
  });

  afterAll(async () => {
    await outbox?.close();
    await ucs?.close();
  });

  /** Calls of the effect (after the processed_events claim) for one service id. */
  function effectsFor(spy: jest.SpyInstance, serviceId: string): number {
    return spy.mock.calls.filter(([, , effect]) => JSON.stringify(effect).includes(serviceId)).length;
  }

  it('§6 the same event delivered twice (same id) has one effect', async () => {
    const spy = jest.spyOn(ucs.app.get(InteractionsService), 'applyGmsEvent');
    try {
      const serviceId = `svc-${randomUUID()}`;
      const event = started(serviceId);
      await outbox.publish(event);
      await outbox.publish(event); // NATS: the same Nats-Msg-Id, de-duplicated by the stream
      await outbox.publish(event, { msgId: randomUUID() }); // NATS: reaches the consumer again
      await untilProcessed(ucs, event);
      const marker = started(`svc-${randomUUID()}`);
      await outbox.publish(marker); // handled after every delivery above
      await untilProcessed(ucs, marker);
      expect(await processedCount(ucs, event.id)).toBe(1);
      expect(effectsFor(spy, serviceId)).toBe(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('§6 an event whose handler failed comes back and is then applied once', async () => {
    const spy = jest
      .spyOn(ucs.app.get(InteractionsService), 'applyGmsEvent')
      .mockRejectedValueOnce(new Error('database away'));
    try {
      const serviceId = `svc-${randomUUID()}`;
      const event = started(serviceId);
      if (ucs.env.NATS_URL) {
        await outbox.publish(event); // stored; the consumer naks it and gets it again ~1 s later
      } else {
        // Embedded: the sender is told, and its relay sends it again.
        await expect(outbox.publish(event)).rejects.toMatchObject({ status: 500 });
        expect(await processedCount(ucs, event.id)).toBe(0);
        await outbox.publish(event);
      }
      await untilProcessed(ucs, event);
      expect(spy).toHaveBeenCalledTimes(2);
      expect(await processedCount(ucs, event.id)).toBe(1);
      expect(effectsFor(spy, serviceId)).toBe(2); // the failed attempt rolled back, the retry applied
    } finally {
      spy.mockRestore();
    }
  });

  if (backend.name === 'embedded') {
    describe(`${EVENT_DELIVERY_SUBJECT} request`, () => {
      let client: ClientTCP;
      beforeAll(() => {
        client = new ClientTCP({ host: '127.0.0.1', port: ucs.env.UCS_TCP_PORT });
      });
      afterAll(async () => {
        await client.close();
      });

      it('answers {applied: true} once the local handler applied the event', async () => {
        const event = started(`svc-${randomUUID()}`);
        await expect(
          lastValueFrom(client.send(EVENT_DELIVERY_SUBJECT, { headers: {}, payload: event })),
        ).resolves.toEqual({ applied: true });
        expect(await processedCount(ucs, event.id)).toBe(1);
      });

      it('acknowledges an event type ucs does not handle, with {applied: false}', async () => {
        const event = makeEvent(EventSubjects.gmsServiceExtensionUpdated, '1', { service_id: 'x' });
        await expect(
          lastValueFrom(client.send(EVENT_DELIVERY_SUBJECT, { headers: {}, payload: event })),
        ).resolves.toEqual({ applied: false });
        expect(await processedCount(ucs, event.id)).toBe(0);
      });

      it('rejects a message without an envelope with 400 INVALID_EVENT', async () => {
        await expect(
          lastValueFrom(client.send(EVENT_DELIVERY_SUBJECT, { headers: {}, payload: { id: 'x' } })),
        ).rejects.toMatchObject({ status: 400, code: 'INVALID_EVENT' });
      });
    });
  }
});

/** JetStream only: the durable consumer is shared by replicas and outlives them. */
const natsBackends = testBackends().filter((b): b is Backend => b.name === 'real');
if (natsBackends.length > 0) {
  describe.each(natsBackends.map((b) => [b.name, b] as const))(
    'durable event consumer (%s)',
    (_, backend) => {
      const running: StartedUcs[] = [];
      let outbox: EventPublisher | undefined;

      afterAll(async () => {
        await outbox?.close();
        for (const ucs of running) await ucs.close();
      });

      async function start(overrides: Record<string, string> = {}): Promise<StartedUcs> {
        const ucs = await startUcs(backend, overrides);
        running.push(ucs);
        return ucs;
      }

      it('§6 two replicas on one durable: each event is applied by exactly one of them', async () => {
        const first = await start();
        const second = await start({ CS_EVENTS_DURABLE_SUFFIX: first.env.CS_EVENTS_DURABLE_SUFFIX });
        outbox = await outboxPublisher(first.env, ['ucs']);
        const events = Array.from({ length: 20 }, (_, i) => started(`svc-${i}-${randomUUID()}`));
        for (const event of events) await outbox.publish(event);
        const where = async (event: EventEnvelope) => [
          await processedCount(first, event.id),
          await processedCount(second, event.id),
        ];
        await waitFor(
          async () => {
            for (const event of events) {
              const [a, b] = await where(event);
              if (a + b === 0) return false;
            }
            return true;
          },
          20000,
          () => 'not every event was applied',
        );
        await new Promise((resolve) => setTimeout(resolve, 500)); // a second delivery would land by now
        for (const event of events) expect((await where(event)).sort()).toEqual([0, 1]);
      });

      it('§6 a durable deleted under a running service is recreated and events flow again', async () => {
        const ucs = await start();
        const durable = `ucs${ucs.env.CS_EVENTS_DURABLE_SUFFIX}`;
        const publisher = await outboxPublisher(ucs.env, ['ucs']);
        try {
          const nc = await connect({ servers: ucs.env.NATS_URL });
          const jsm = await nc.jetstreamManager();
          await jsm.consumers.delete(EVENTS_STREAM, durable);
          await waitFor(
            async () =>
              await jsm.consumers.info(EVENTS_STREAM, durable).then(
                () => true,
                () => false,
              ),
            20000,
            () => `durable ${durable} was not recreated`,
          );
          await nc.close();
          const event = started(`svc-${randomUUID()}`);
          await publisher.publish(event);
          await untilProcessed(ucs, event);
        } finally {
          await publisher.close();
        }
      }, 40000);

      it('§6 a consumer that was down catches up with the events stored meanwhile', async () => {
        const before = await start();
        const suffix = before.env.CS_EVENTS_DURABLE_SUFFIX;
        await outboxPublisher(before.env, ['ucs']).then(async (publisher) => {
          const warmUp = started(`svc-${randomUUID()}`);
          await publisher.publish(warmUp);
          await untilProcessed(before, warmUp);
          await before.close();
          const missed = [started(`svc-${randomUUID()}`), started(`svc-${randomUUID()}`)];
          for (const event of missed) await publisher.publish(event);
          const after = await start({ CS_EVENTS_DURABLE_SUFFIX: suffix });
          for (const event of missed) await untilProcessed(after, event);
          expect(await processedCount(after, warmUp.id)).toBe(0); // acknowledged before: not again
          await publisher.close();
        });
      });
    },
  );
}
