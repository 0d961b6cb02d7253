import { EVENTS_STREAM, type BusMessage, type EventEnvelope } from '@cs/contracts';
import { randomUUID } from 'node:crypto';
import {
  connect,
  ErrorCode,
  headers as natsHeaders,
  JSONCodec,
  nanos,
  NatsConnection,
  NatsError,
  StorageType,
  type JetStreamClient,
} from 'nats';
import type { Logger } from '../../core/logger';
import { fitToPayload } from './fit-payload';
import { MessageBus, RequestOptions, UndeliverableEvent } from './message-bus';
import { outgoingHeaders } from './headers';
import { noResponder, remoteError, rpcTimeout } from './rpc-errors';

const codec = JSONCodec<unknown>();
/** Re-deliveries of the same event id within this window are dropped by JetStream. */
const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;
const DEFAULT_EVENTS_MAX_AGE_MS = 7 * 24 * 3600 * 1000;

/** Requests speak the NestJS NATS packet format so that the receiving side is a plain Nest handler. */
interface NestReply {
  err?: unknown;
  response?: unknown;
}

export interface NatsBusOptions {
  /** How long CS_EVENTS keeps events. */
  eventsMaxAgeMs?: number;
  /** How long `connect` waits for the first connection before it returns a bus still connecting. */
  firstConnectWaitMs?: number;
}

/**
 * NATS transport. The connection is made in the background and retried forever, so a service boots
 * (and answers HTTP) while NATS is down; requests then fail with 503 and deliveries wait in the outbox.
 */
export class NatsBus extends MessageBus {
  override readonly deliversInOrder = true;
  private nc?: NatsConnection;
  private js?: JetStreamClient;
  private connected = false;
  private closing = false;
  /** Resolves once CS_EVENTS exists with our settings; reset when making it failed. */
  private stream?: Promise<void>;

  private constructor(
    private readonly defaultTimeoutMs: number,
    private readonly logger: Logger,
    private readonly eventsMaxAgeMs: number,
  ) {
    super();
  }

  static async connect(
    url: string,
    name: string,
    defaultTimeoutMs: number,
    logger: Logger,
    options: NatsBusOptions = {},
  ): Promise<NatsBus> {
    const bus = new NatsBus(defaultTimeoutMs, logger, options.eventsMaxAgeMs ?? DEFAULT_EVENTS_MAX_AGE_MS);
    const connecting = connect({
      servers: url.split(','),
      name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      waitOnFirstConnect: true,
    }).then(
      (nc) => bus.attach(nc),
      (error: unknown) => logger.error({ err: error }, 'nats connection failed for good'),
    );
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>(
      (resolve) => (timer = setTimeout(resolve, options.firstConnectWaitMs ?? 3000)),
    );
    await Promise.race([connecting, waited]);
    clearTimeout(timer);
    if (!bus.connected) logger.warn({ nats: url }, 'nats not reachable yet; still trying');
    return bus;
  }

  async request<T>(subject: string, payload: unknown, options: RequestOptions = {}): Promise<T> {
    const timeout = options.timeoutMs ?? this.defaultTimeoutMs;
    const nc = this.nc;
    if (!nc || !this.connected) throw noResponder(subject);
    const message: BusMessage = { headers: outgoingHeaders(), payload };
    const packet = { pattern: subject, id: randomUUID(), data: message };
    let reply: NestReply;
    try {
      const answer = await nc.request(subject, codec.encode(packet), {
        timeout,
        headers: toNatsHeaders(message.headers),
      });
      reply = codec.decode(answer.data) as NestReply;
    } catch (error) {
      if (error instanceof NatsError && error.code === ErrorCode.NoResponders) throw noResponder(subject);
      if (error instanceof NatsError && error.code === ErrorCode.Timeout) throw rpcTimeout(subject, timeout);
      if (nc.isClosed()) throw noResponder(subject);
      throw error;
    }
    if (reply.err !== undefined && reply.err !== null) throw remoteError(subject, reply.err);
    return reply.response as T;
  }

  /** Fire-and-forget core publish (no outbox, no ack): for tools and tests that inject events. */
  async publish(envelope: EventEnvelope): Promise<void> {
    if (!this.nc) throw new Error('NATS is not connected');
    const headers = toNatsHeaders({ ...outgoingHeaders(), 'Nats-Msg-Id': envelope.id });
    this.nc.publish(envelope.type, codec.encode(envelope), { headers });
  }

  /** JetStream publish into CS_EVENTS; the event id is the `Nats-Msg-Id`, so a retry is dropped. */
  async deliver(envelope: EventEnvelope, headers: Record<string, string>): Promise<void> {
    const js = this.js;
    if (!js || !this.connected) throw new Error('NATS is not connected');
    await this.ensureStream();
    let data = codec.encode(envelope);
    const limit = this.nc?.info?.max_payload;
    const headerBytes = Object.entries(headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 64);
    const budget = limit === undefined ? Infinity : limit - headerBytes - envelope.id.length;
    if (data.length > budget) {
      const fitted = fitToPayload(envelope, budget);
      if (!fitted) {
        throw new UndeliverableEvent(
          envelope.id,
          `${data.length} bytes, over the server's max payload (${limit})`,
        );
      }
      this.logger.warn(
        {
          event_id: envelope.id,
          type: envelope.type,
          bytes: data.length,
          max_payload: limit,
          omitted: fitted.meta?.omitted,
        },
        'event over the NATS max payload: published without its largest data fields',
      );
      data = codec.encode(fitted);
    }
    await js.publish(envelope.type, data, {
      msgID: envelope.id,
      headers: toNatsHeaders(headers),
      timeout: this.defaultTimeoutMs,
    });
  }

  isReady(): boolean {
    return this.connected && !!this.nc && !this.nc.isClosed() && !this.nc.isDraining();
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.nc && !this.nc.isClosed()) await this.nc.drain();
  }

  private attach(nc: NatsConnection): void {
    if (this.closing) {
      void nc.close();
      return;
    }
    this.nc = nc;
    this.js = nc.jetstream();
    this.connected = true;
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect') this.connected = false;
        if (status.type === 'reconnect') this.connected = true;
        this.logger.info({ nats: status.type, data: String(status.data) }, 'nats status');
      }
    })();
    void this.ensureStream().catch((error: unknown) =>
      this.logger.warn({ err: error }, `stream ${EVENTS_STREAM} not ready yet`),
    );
  }

  /** Creates CS_EVENTS (`cs.>`, file storage) or brings its retention and de-duplication up to date. */
  private ensureStream(): Promise<void> {
    this.stream ??= this.makeStream().catch((error: unknown) => {
      this.stream = undefined;
      throw error;
    });
    return this.stream;
  }

  private async makeStream(): Promise<void> {
    const jsm = await (this.nc as NatsConnection).jetstreamManager();
    const settings = {
      max_age: nanos(this.eventsMaxAgeMs),
      duplicate_window: nanos(Math.min(DUPLICATE_WINDOW_MS, this.eventsMaxAgeMs)),
    };
    let existing;
    try {
      existing = await jsm.streams.info(EVENTS_STREAM);
    } catch {
      existing = undefined;
    }
    if (!existing) {
      try {
        await jsm.streams.add({
          name: EVENTS_STREAM,
          subjects: ['cs.>'],
          storage: StorageType.File,
          ...settings,
        });
        return;
      } catch (error) {
        // Created by another process between the look-up and the add: update it below.
        if (!(error instanceof NatsError && /already in use/i.test(error.message))) throw error;
        existing = await jsm.streams.info(EVENTS_STREAM);
      }
    }
    const current = existing.config;
    if (current.max_age === settings.max_age && current.duplicate_window === settings.duplicate_window)
      return;
    await jsm.streams.update(EVENTS_STREAM, { ...current, ...settings });
  }
}

function toNatsHeaders(values: Record<string, string>) {
  const h = natsHeaders();
  for (const [name, value] of Object.entries(values)) h.set(name, value);
  return h;
}
