import { DynamicModule, Controller, Inject, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { request as httpRequest } from 'node:http';
import { connect, DeliverPolicy, JSONCodec } from 'nats';
import { EVENTS_STREAM, EventSubjects, type BusMessage, type EventEnvelope } from '@cs/contracts';
import { CsTcpServer, ensureEventStream } from '@cs/platform';
import { waitFor } from '@cs/testing';
import type { GmsEnv } from '../src/config/gms-env';

/** Sends a POST without any Content-Type header (supertest always sets one for a body). */
export function rawPost(
  baseUrl: string,
  path: string,
  body: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${baseUrl}${path}`,
      { method: 'POST', headers: { 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const SINK = Symbol('SINK');

/** Every subject gms publishes (`cs.gms.*`), recorded in embedded mode like the NATS `cs.gms.>` subscription. */
const GMS_EVENT_SUBJECTS: string[] = Object.values(EventSubjects).filter((subject) =>
  subject.startsWith('cs.gms.'),
);

/** Stands in for ucs on the embedded transport: records the events gms sends to it. */
@Controller()
class EventRecorder {
  constructor(@Inject(SINK) private readonly sink: EventEnvelope[]) {}

  @EventPattern(GMS_EVENT_SUBJECTS)
  record(@Payload() message: BusMessage<EventEnvelope>): void {
    this.sink.push(message.payload);
  }
}

@Module({})
class EventRecorderModule {
  static with(sink: EventEnvelope[]): DynamicModule {
    return {
      module: EventRecorderModule,
      controllers: [EventRecorder],
      providers: [{ provide: SINK, useValue: sink }],
    };
  }
}

export interface EventListener {
  /** Every event received so far, in arrival order. */
  readonly events: EventEnvelope[];
  /** The first received event that `match` accepts; waits for it. */
  next(match: (event: EventEnvelope) => boolean): Promise<EventEnvelope>;
  close(): Promise<void>;
}

/**
 * Receives what gms publishes, where another service would: an ordered JetStream consumer of
 * `cs.gms.>` on CS_EVENTS, or (embedded mode) a TCP message server on the port gms knows as ucs's.
 */
export async function listenForEvents(env: GmsEnv): Promise<EventListener> {
  const events: EventEnvelope[] = [];
  let close: () => Promise<void>;
  if (env.NATS_URL) {
    // As an outside subscriber reads them: an ordered consumer of CS_EVENTS from now on.
    const codec = JSONCodec<EventEnvelope>();
    const nc = await connect({ servers: env.NATS_URL.split(','), name: 'gms-e2e-listener' });
    await ensureEventStream(await nc.jetstreamManager());
    const consumer = await nc.jetstream().consumers.get(EVENTS_STREAM, {
      filterSubjects: 'cs.gms.>',
      deliver_policy: DeliverPolicy.New,
    });
    const messages = await consumer.consume();
    void (async () => {
      for await (const message of messages) events.push(codec.decode(message.data));
    })();
    close = async () => {
      await messages.close();
      await nc.drain();
    };
  } else {
    // Receives both the acknowledged `cs.events.deliver` of the outbox relay and plain emits.
    const server = await NestFactory.createMicroservice(EventRecorderModule.with(events), {
      strategy: new CsTcpServer({ host: '127.0.0.1', port: env.UCS_TCP_PORT }),
      logger: false,
    });
    await server.listen();
    close = () => server.close();
  }
  return {
    events,
    async next(match) {
      await waitFor(
        async () => events.some(match),
        15000,
        () => `no matching event among ${events.length} received`,
      );
      return events.find(match) as EventEnvelope;
    },
    close,
  };
}
