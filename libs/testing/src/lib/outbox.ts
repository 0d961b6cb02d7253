import { EVENT_DELIVERY_SUBJECT, EVENTS_STREAM, type BusMessage, type EventEnvelope } from '@cs/contracts';
import {
  Controller,
  Inject,
  Module,
  type DynamicModule,
  type INestApplication,
  type INestMicroservice,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload, Transport } from '@nestjs/microservices';
import { connect, DeliverPolicy, type NatsConnection } from 'nats';
import { DataSource } from 'typeorm';
import { TcpProxy } from './tcp-proxy';

/** Test helpers for the transactional outbox (ARCHITECTURE §6): its rows, a peer receiver, the stream. */

const SINK = Symbol('SINK');

/** A peer service on the embedded transport that acknowledges each delivered event once stored. */
@Controller()
class DeliveryReceiver {
  constructor(@Inject(SINK) private readonly sink: EventEnvelope[]) {}

  @MessagePattern(EVENT_DELIVERY_SUBJECT)
  receive(@Payload() message: BusMessage<EventEnvelope>): { applied: boolean } {
    this.sink.push(message.payload);
    return { applied: true };
  }
}

@Module({})
class ReceiverModule {
  static with(sink: EventEnvelope[]): DynamicModule {
    return {
      module: ReceiverModule,
      controllers: [DeliveryReceiver],
      providers: [{ provide: SINK, useValue: sink }],
    };
  }
}

export interface Receiver {
  readonly events: EventEnvelope[];
  close(): Promise<void>;
}

/** Listens where the app sends its embedded-mode deliveries for `peer` (e.g. ucs's relay → gms). */
export async function listenAsPeer(port: number): Promise<Receiver> {
  const events: EventEnvelope[] = [];
  const server: INestMicroservice = await NestFactory.createMicroservice(ReceiverModule.with(events), {
    transport: Transport.TCP,
    options: { host: '127.0.0.1', port },
    logger: false,
  });
  await server.listen();
  return { events, close: () => server.close() };
}

/** Copies of `eventId` stored in CS_EVENTS under `subject` since `since`, read with an ordered consumer. */
export async function copiesInStream(
  nc: NatsConnection,
  subject: string,
  eventId: string,
  since: Date,
): Promise<number> {
  const consumer = await nc.jetstream().consumers.get(EVENTS_STREAM, {
    filterSubjects: subject, // one subject: filter_subject, understood by NATS 2.9 too
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: since.toISOString(),
  });
  let copies = 0;
  const messages = await consumer.fetch({ max_messages: 10_000, expires: 3000 });
  for await (const message of messages) {
    if ((message.json() as EventEnvelope).id === eventId) copies++;
    if (message.info.pending === 0) break;
  }
  return copies;
}

export async function natsConnection(url: string): Promise<NatsConnection> {
  return connect({ servers: url.split(','), name: 'outbox-e2e' });
}

/** A TCP relay in front of NATS that the test can take away (`cut`: connections dropped, port closed) and restore. */
export class CuttableProxy {
  private proxy?: TcpProxy;

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async open(): Promise<void> {
    this.proxy ??= await TcpProxy.start({ port: this.port, target: this.target });
  }

  async cut(): Promise<void> {
    const proxy = this.proxy;
    this.proxy = undefined;
    await proxy?.close();
  }
}

export interface OutboxRecord {
  seq: number;
  subject: string;
  aggregate: string;
  envelope: EventEnvelope;
  headers: Record<string, string>;
  sentAt: number | null;
}

/** Every event the app wrote to its outbox (ARCHITECTURE §6), oldest first. */
export async function outboxRecords(app: INestApplication): Promise<OutboxRecord[]> {
  const rows = (await app
    .get(DataSource)
    .query('SELECT seq, subject, aggregate, envelope, headers, sent_at FROM outbox ORDER BY seq')) as {
    seq: number | string;
    subject: string;
    aggregate: string;
    envelope: string;
    headers: string;
    sent_at: number | string | null;
  }[];
  return rows.map((r) => ({
    seq: Number(r.seq),
    subject: r.subject,
    aggregate: r.aggregate,
    envelope: JSON.parse(r.envelope) as EventEnvelope,
    headers: JSON.parse(r.headers) as Record<string, string>,
    sentAt: r.sent_at === null ? null : Number(r.sent_at),
  }));
}

/** The envelopes of `outboxRecords`: what the app announced, in commit order. */
export async function recordedEvents(app: INestApplication): Promise<EventEnvelope[]> {
  return (await outboxRecords(app)).map((r) => r.envelope);
}
