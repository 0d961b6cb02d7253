import type { BusMessage, EventEnvelope } from '@cs/contracts';
import { EVENT_DELIVERY_SUBJECT, ownerOfRequest } from '@cs/contracts';
import { ClientTCP } from '@nestjs/microservices';
import { firstValueFrom, lastValueFrom, timeout, TimeoutError } from 'rxjs';
import { ApiError } from '../../core/api-error';
import type { Logger } from '../../core/logger';
import { MessageBus, RequestOptions } from './message-bus';
import { outgoingHeaders } from './headers';
import { noResponder, remoteError, rpcTimeout } from './rpc-errors';

/**
 * The embedded transport: NestJS TCP on loopback, no broker. A request goes to the service named by
 * its subject's first segment; an event goes to every other service.
 */
export class TcpBus extends MessageBus {
  private readonly clients = new Map<string, ClientTCP>();

  constructor(
    private readonly self: string,
    peers: Record<string, { host: string; port: number }>,
    private readonly defaultTimeoutMs: number,
    private readonly logger: Logger,
  ) {
    super();
    for (const [name, address] of Object.entries(peers)) this.clients.set(name, new ClientTCP(address));
  }

  async request<T>(subject: string, payload: unknown, options: RequestOptions = {}): Promise<T> {
    const ms = options.timeoutMs ?? this.defaultTimeoutMs;
    const client = this.clients.get(ownerOfRequest(subject));
    if (!client) throw noResponder(subject);
    const message: BusMessage = { headers: outgoingHeaders(), payload };
    try {
      return await firstValueFrom(client.send<T>(subject, message).pipe(timeout(ms)));
    } catch (error) {
      throw this.mapError(subject, ms, error);
    }
  }

  async publish(envelope: EventEnvelope): Promise<void> {
    const message: BusMessage = { headers: outgoingHeaders(), payload: envelope };
    const deliveries = [...this.clients]
      .filter(([name]) => name !== this.self)
      .map(async ([name, client]) => {
        try {
          await lastValueFrom(client.emit(envelope.type, message), { defaultValue: undefined });
        } catch (error) {
          this.logger.warn({ err: error, peer: name, subject: envelope.type }, 'event not delivered');
        }
      });
    await Promise.all(deliveries);
  }

  /**
   * Acknowledged delivery: an `cs.events.deliver` request to every other service; all must answer.
   * A peer without that receiver gets the event as a plain emit (its @EventPattern handlers).
   */
  async deliver(envelope: EventEnvelope, headers: Record<string, string>): Promise<void> {
    const message: BusMessage = { headers, payload: envelope };
    const peers = [...this.clients].filter(([name]) => name !== this.self);
    await Promise.all(peers.map(([name, client]) => this.deliverTo(name, client, envelope, message)));
  }

  private async deliverTo(
    peer: string,
    client: ClientTCP,
    envelope: EventEnvelope,
    message: BusMessage,
  ): Promise<void> {
    const ms = this.defaultTimeoutMs;
    try {
      await lastValueFrom(client.send(EVENT_DELIVERY_SUBJECT, message).pipe(timeout(ms)), {
        defaultValue: undefined,
      });
    } catch (error) {
      if (!isNoHandler(error)) throw this.mapError(`${EVENT_DELIVERY_SUBJECT} to ${peer}`, ms, error);
      await lastValueFrom(client.emit(envelope.type, message), { defaultValue: undefined });
    }
  }

  isReady(): boolean {
    return true;
  }

  async close(): Promise<void> {
    for (const client of this.clients.values()) await client.close();
  }

  private mapError(subject: string, ms: number, error: unknown): ApiError {
    if (error instanceof ApiError) return error;
    if (error instanceof TimeoutError) return rpcTimeout(subject, ms);
    // Remote handler errors arrive as plain objects; an Error is the socket failing (refused, reset,
    // or "Connection closed" when the peer stops mid-request): nobody is answering.
    if (error instanceof Error) return noResponder(subject);
    return remoteError(subject, error);
  }
}

/** The peer's transport answered, but has no handler for the pattern. */
function isNoHandler(error: unknown): boolean {
  const text = typeof error === 'string' ? error : (error as { message?: unknown } | null)?.message;
  return typeof text === 'string' && text.includes('no matching message handler');
}
