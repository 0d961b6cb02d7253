import type { BusMessage, EventEnvelope } from '@cs/contracts';
import { randomUUID } from 'node:crypto';
import { connect, ErrorCode, headers as natsHeaders, JSONCodec, NatsConnection, NatsError } from 'nats';
import type { Logger } from '../../core/logger';
import { MessageBus, RequestOptions } from './message-bus';
import { outgoingHeaders } from './headers';
import { noResponder, remoteError, rpcTimeout } from './rpc-errors';

const codec = JSONCodec<unknown>();

/** Requests speak the NestJS NATS packet format so that the receiving side is a plain Nest handler. */
interface NestReply {
  err?: unknown;
  response?: unknown;
}

export class NatsBus extends MessageBus {
  private constructor(
    private readonly nc: NatsConnection,
    private readonly defaultTimeoutMs: number,
  ) {
    super();
  }

  static async connect(
    url: string,
    name: string,
    defaultTimeoutMs: number,
    logger: Logger,
  ): Promise<NatsBus> {
    const nc = await connect({
      servers: url.split(','),
      name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    });
    void (async () => {
      for await (const status of nc.status())
        logger.info({ nats: status.type, data: String(status.data) }, 'nats status');
    })();
    return new NatsBus(nc, defaultTimeoutMs);
  }

  async request<T>(subject: string, payload: unknown, options: RequestOptions = {}): Promise<T> {
    const timeout = options.timeoutMs ?? this.defaultTimeoutMs;
    const message: BusMessage = { headers: outgoingHeaders(), payload };
    const packet = { pattern: subject, id: randomUUID(), data: message };
    let reply: NestReply;
    try {
      const answer = await this.nc.request(subject, codec.encode(packet), {
        timeout,
        headers: toNatsHeaders(message.headers),
      });
      reply = codec.decode(answer.data) as NestReply;
    } catch (error) {
      if (error instanceof NatsError && error.code === ErrorCode.NoResponders) throw noResponder(subject);
      if (error instanceof NatsError && error.code === ErrorCode.Timeout) throw rpcTimeout(subject, timeout);
      if (this.nc.isClosed()) throw noResponder(subject);
      throw error;
    }
    if (reply.err !== undefined && reply.err !== null) throw remoteError(subject, reply.err);
    return reply.response as T;
  }

  async publish(envelope: EventEnvelope): Promise<void> {
    const headers = toNatsHeaders({ ...outgoingHeaders(), 'Nats-Msg-Id': envelope.id });
    this.nc.publish(envelope.type, codec.encode(envelope), { headers });
  }

  isReady(): boolean {
    return !this.nc.isClosed() && !this.nc.isDraining();
  }

  async close(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain();
  }
}

function toNatsHeaders(values: Record<string, string>) {
  const h = natsHeaders();
  for (const [name, value] of Object.entries(values)) h.set(name, value);
  return h;
}
