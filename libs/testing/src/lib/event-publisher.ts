import {
  EVENT_DELIVERY_SUBJECT,
  REQUEST_ID_HEADER,
  type BusMessage,
  type EventEnvelope,
} from '@cs/contracts';
import { ensureEventStream } from '@cs/platform';
import { ClientTCP } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { connect, headers as natsHeaders, JSONCodec, type NatsConnection } from 'nats';
import { lastValueFrom } from 'rxjs';

export interface EventPublisher {
  /**
   * Resolves once the event is stored in CS_EVENTS (NATS) or applied by every peer (embedded).
   * `msgId` overrides the `Nats-Msg-Id` (default: the event id), e.g. to model a relay retry after
   * JetStream's de-duplication window, which the consumer must absorb itself.
   */
  publish(event: EventEnvelope, options?: { msgId?: string }): Promise<void>;
  close(): Promise<void>;
}

interface TransportEnv {
  NATS_URL?: string;
  GMS_TCP_PORT: number;
  UCS_TCP_PORT: number;
}

/**
 * Publishes events the way the outbox relay does: to JetStream with `Nats-Msg-Id` = event id, or in
 * the embedded mode with the acknowledged `cs.events.deliver` request to each of `peers`.
 */
export async function outboxPublisher(env: TransportEnv, peers: ('gms' | 'ucs')[]): Promise<EventPublisher> {
  return env.NATS_URL ? natsPublisher(env.NATS_URL) : tcpPublisher(env, peers);
}

async function natsPublisher(url: string): Promise<EventPublisher> {
  const nc: NatsConnection = await connect({ servers: url.split(','), name: 'test-outbox' });
  await ensureEventStream(await nc.jetstreamManager());
  const js = nc.jetstream();
  const codec = JSONCodec<EventEnvelope>();
  return {
    async publish(event, options = {}) {
      const h = natsHeaders();
      h.set(REQUEST_ID_HEADER, randomUUID());
      await js.publish(event.type, codec.encode(event), { msgID: options.msgId ?? event.id, headers: h });
    },
    close: () => nc.drain(),
  };
}

function tcpPublisher(env: TransportEnv, peers: ('gms' | 'ucs')[]): EventPublisher {
  const ports = { gms: env.GMS_TCP_PORT, ucs: env.UCS_TCP_PORT };
  const clients = peers.map((peer) => new ClientTCP({ host: '127.0.0.1', port: ports[peer] }));
  return {
    async publish(event) {
      const message: BusMessage = { headers: { [REQUEST_ID_HEADER]: randomUUID() }, payload: event };
      for (const client of clients) await lastValueFrom(client.send(EVENT_DELIVERY_SUBJECT, message));
    },
    async close() {
      for (const client of clients) await client.close();
    },
  };
}
