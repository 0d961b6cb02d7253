import type { BusMessage } from '@cs/contracts';
import { NatsContext, ServerNats, type MessageHandler, type NatsOptions } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import {
  JSONCodec,
  type Consumer,
  type ConsumerMessages,
  type JsMsg,
  type MsgHdrs,
  type NatsConnection,
} from 'nats';
import { EVENT_STREAM, ensureDurable, ensureEventStream } from './event-stream';

const codec = JSONCodec<unknown>();
const DRAIN_TIMEOUT_MS = 5000;
/** Redelivery after a failed handler: 1 s, 2 s, 4 s … at most one minute. */
const MAX_RETRY_DELAY_MS = 60_000;
/** First connection attempts: 0.5 s, 1 s, 1.5 s … at most every 5 s. */
const MAX_CONNECT_DELAY_MS = 5000;

/** The running event consumer of each service in this process, for the metrics scrape. */
const consumersByService = new Map<string, CsNatsServer>();

/**
 * The lag of a service's durable consumer (events not delivered yet + delivered but not acknowledged),
 * or undefined when the service runs no JetStream consumer in this process.
 */
export async function eventConsumerLag(
  service: string,
): Promise<{ consumer: string; pending: number } | undefined> {
  return consumersByService.get(service)?.lag();
}

export interface EventConsumerOptions {
  /** The durable consumer's name: the service name (plus a suffix for separate environments). */
  durable: string;
  start: 'all' | 'new';
  durableTtlMs: number;
  /** How long a delivered event may stay unacknowledged before it is delivered again. */
  ackWaitMs: number;
  /** Used only when this service creates the stream (the relay normally does). */
  streamMaxAgeMs?: number;
}

/**
 * Nest's NATS server with two changes. Requests (`@MessagePattern`) stay core NATS request/reply in
 * the service's queue group. Events (`@EventPattern`) are read from the JetStream stream CS_EVENTS
 * through one durable pull consumer per service (ARCHITECTURE §6): each event reaches one replica,
 * is acknowledged after its handler finished, and comes back later when the handler failed. The
 * body is the bare envelope; handlers get it as a BusMessage with the NATS headers.
 */
export class CsNatsServer extends ServerNats {
  /** Messages whose handler has not finished yet (shutdown waits for them). */
  private readonly inFlight = new Set<Promise<unknown>>();
  private events?: ConsumerMessages;
  private consumer?: Consumer;
  private closing = false;
  /** CS_EVENTS_START=new reads from here: events written while NATS was still out of reach count. */
  private readonly createdAt = new Date();
  /** The queue group is the service name. */
  private readonly service?: string;
  /**
   * The handler of each event subject seen. Nest's lookup JSON-parses the subject first and throws
   * and catches a SyntaxError for every plain one: ~50 µs per event in the ucs profile. Only found
   * handlers are kept, so odd subjects under the consumer's wildcard cannot grow the map.
   */
  private readonly eventHandlers = new Map<string, MessageHandler>();
  /**
   * Acknowledgements of handled events, sent together on the next turn of the event loop. nats.js
   * flushes what was queued in one microtask turn as one socket write, and events are handled one
   * after the other, so acking each at once cost one write per event (a third of ucs's CPU in the
   * bench profile). An ack lost in a crash meanwhile only means a redelivery, which consumers dedupe.
   */
  private acks: JsMsg[] = [];

  constructor(
    options: NonNullable<NatsOptions['options']>,
    private readonly eventConsumer: EventConsumerOptions,
  ) {
    super(options);
    this.service = options.queue;
  }

  override handleMessage(channel: string, natsMsg: never): Promise<unknown> {
    return this.track(super.handleMessage(channel, natsMsg));
  }

  /** Core NATS subscriptions for requests only; events come from JetStream. */
  override bindEvents(client: NatsConnection): void {
    const { messageHandlers } = this;
    const events = [...messageHandlers].filter(([, handler]) => handler.isEventHandler);
    for (const [pattern] of events) messageHandlers.delete(pattern);
    try {
      super.bindEvents(client as never);
    } finally {
      for (const [pattern, handler] of events) messageHandlers.set(pattern, handler);
    }
  }

  /**
   * The app starts whether NATS is reachable or not: HTTP must keep taking writes while NATS is down
   * (their events wait in the outbox), so the connection is made in the background, retried until it
   * succeeds; after that nats.js reconnects by itself.
   */
  override listen(callback: (error?: unknown) => void): Promise<void> {
    callback();
    void this.connectWhenReachable();
    return Promise.resolve();
  }

  private async connectWhenReachable(): Promise<void> {
    for (let attempt = 1; !this.closing; attempt++) {
      const error = await new Promise<unknown>((resolve) => void super.listen(resolve));
      if (!error) return;
      if (attempt === 1)
        this.logger.warn(`NATS not reachable (${describe(error)}); retrying in the background`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(500 * attempt, MAX_CONNECT_DELAY_MS)));
    }
  }

  override start(callback: (error?: unknown) => void): void {
    const client = this.unwrap<NatsConnection>();
    if (this.closing) {
      // Connected after shutdown began: nothing to serve any more.
      void client.close();
      return callback();
    }
    this.bindEvents(client);
    void this.startEventConsumer().then(() => {
      if (this.service && !this.closing) consumersByService.set(this.service, this);
      callback();
    });
  }

  /** Shutdown: stop taking messages, let the ones in hand finish (bounded), then close. */
  override async close(): Promise<void> {
    this.closing = true;
    if (this.service && consumersByService.get(this.service) === this)
      consumersByService.delete(this.service);
    this.events?.stop();
    // Nest keeps the subscriptions in a private field (it unsubscribes them itself only with a fixed wait).
    const { subscriptions } = this as unknown as { subscriptions?: { unsubscribe(): void }[] };
    for (const subscription of subscriptions ?? []) subscription.unsubscribe();
    const pending = Promise.allSettled([...this.inFlight]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([pending, new Promise((resolve) => (timer = setTimeout(resolve, DRAIN_TIMEOUT_MS)))]);
    clearTimeout(timer);
    this.sendAcks(); // before the connection drains and closes
    await super.close();
  }

  /** Read from the server on each call (one JetStream API request). */
  async lag(): Promise<{ consumer: string; pending: number } | undefined> {
    if (!this.consumer || this.closing) return undefined;
    const info = await this.consumer.info();
    return { consumer: this.eventConsumer.durable, pending: info.num_pending + info.num_ack_pending };
  }

  private eventSubjects(): string[] {
    return [...this.messageHandlers]
      .filter(([, handler]) => handler.isEventHandler)
      .map(([pattern]) => pattern);
  }

  /** Creates the stream and the durable and starts pulling; on failure pulling starts on a retry. */
  private async startEventConsumer(): Promise<void> {
    const subjects = this.eventSubjects();
    if (subjects.length === 0) return;
    let first: ConsumerMessages | undefined;
    try {
      first = await this.openEventConsumer(subjects);
    } catch (error) {
      this.logger.error(`Event consumer '${this.eventConsumer.durable}' not opened: ${describe(error)}`);
    }
    void this.keepConsuming(subjects, first);
  }

  private async openEventConsumer(subjects: string[]): Promise<ConsumerMessages> {
    const nc = this.unwrap<NatsConnection>();
    await ensureEventStream(await nc.jetstreamManager(), this.eventConsumer.streamMaxAgeMs);
    const problem = await ensureDurable(nc, {
      durable: this.eventConsumer.durable,
      subjects,
      start: this.eventConsumer.start,
      newSince: this.createdAt,
      inactiveMs: this.eventConsumer.durableTtlMs,
      ackWaitMs: this.eventConsumer.ackWaitMs,
    });
    if (problem) this.logger.error(problem);
    const consumer = await nc.jetstream().consumers.get(EVENT_STREAM, this.eventConsumer.durable);
    this.consumer = consumer;
    // Missing stream or durable: stop, so keepConsuming recreates them (the default waits forever).
    this.events = await consumer.consume({ max_messages: 16, abort_on_missing_resource: true });
    return this.events;
  }

  /**
   * Pulls until shutdown. When pulling stops otherwise (the durable or the stream was deleted, the
   * server lost its state), the stream and durable are recreated and pulling resumes, with a delay.
   */
  private async keepConsuming(subjects: string[], first: ConsumerMessages | undefined): Promise<void> {
    let messages: ConsumerMessages | undefined = first;
    for (let failures = 0; !this.closing;) {
      if (messages) {
        await this.pump(messages);
        messages = undefined;
        if (this.closing) return;
        this.logger.error(`Event consumer '${this.eventConsumer.durable}' stopped pulling; reopening it`);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** failures, MAX_RETRY_DELAY_MS)));
      if (this.closing) return;
      try {
        messages = await this.openEventConsumer(subjects);
        failures = 0;
      } catch (error) {
        failures++;
        this.logger.error(`Event consumer '${this.eventConsumer.durable}' not reopened: ${describe(error)}`);
      }
    }
  }

  /** One event at a time per replica, so events of one service keep their order in the common case. */
  private async pump(messages: ConsumerMessages): Promise<void> {
    try {
      for await (const message of messages) {
        if (this.closing) break; // unacknowledged: the server hands it to another replica
        await this.track(this.handleEventMessage(message));
      }
    } catch (error) {
      if (!this.closing)
        this.logger.error(`Event consumer '${this.eventConsumer.durable}' failed: ${describe(error)}`);
    }
  }

  private eventHandlerFor(subject: string): MessageHandler | null {
    const known = this.eventHandlers.get(subject);
    if (known) return known;
    const handler = this.getHandlerByPattern(subject);
    if (handler?.isEventHandler) this.eventHandlers.set(subject, handler);
    return handler;
  }

  private async handleEventMessage(message: JsMsg): Promise<void> {
    const handler = this.eventHandlerFor(message.subject);
    if (!handler?.isEventHandler) {
      this.ack(message); // covered by the consumer's wildcard filter, but nothing to do here
      return;
    }
    let payload: unknown;
    try {
      payload = codec.decode(message.data);
    } catch {
      this.logger.error(`Dropped an event on '${message.subject}' that is not JSON`);
      message.term();
      return;
    }
    const busMessage: BusMessage = { headers: lowerCaseHeaders(message.headers), payload };
    try {
      const result: unknown = await handler(
        busMessage,
        new NatsContext([message.subject, message.headers as never]),
      );
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
      this.ack(message);
    } catch (error) {
      const attempt = message.info.redeliveryCount;
      const delay = Math.min(1000 * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS);
      this.logger.error(
        `Event ${message.subject} (stream seq ${message.seq}, attempt ${attempt}) failed; retry in ${delay} ms: ${describe(error)}`,
      );
      message.nak(delay);
    }
  }

  private ack(message: JsMsg): void {
    this.acks.push(message);
    if (this.acks.length === 1) setImmediate(() => this.sendAcks());
  }

  private sendAcks(): void {
    const acks = this.acks;
    this.acks = [];
    for (const message of acks) {
      try {
        message.ack();
      } catch {
        // The connection closed meanwhile: the server redelivers after ack_wait, and consumers dedupe.
      }
    }
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }
}

function lowerCaseHeaders(headers: MsgHdrs | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, values] of headers ?? []) result[name.toLowerCase()] = values[0];
  return result;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
