import type { EventEnvelope } from '@cs/contracts';

/** An event the transport can never carry (e.g. larger than its max payload): retrying cannot help. */
export class UndeliverableEvent extends Error {
  constructor(
    readonly eventId: string,
    reason: string,
  ) {
    super(`Event ${eventId} cannot be delivered: ${reason}`);
    this.name = 'UndeliverableEvent';
  }
}

export interface RequestOptions {
  /** Overrides the configured default timeout. */
  timeoutMs?: number;
}

/**
 * The one way services talk to each other: requests that need an answer, events for what happened.
 * Handler code is the same on both transports (NATS, or NestJS TCP on loopback in the embedded mode).
 * Failures are ApiErrors: 504 on timeout, 503 when nobody answers, the remote status otherwise.
 */
export abstract class MessageBus {
  abstract request<T>(subject: string, payload: unknown, options?: RequestOptions): Promise<T>;
  abstract publish(envelope: EventEnvelope): Promise<void>;
  /**
   * Acknowledged delivery, for the outbox relay: resolves once the event is stored (JetStream PubAck,
   * de-duplicated by its id) or applied by every peer (embedded mode); rejects when it is not.
   */
  abstract deliver(envelope: EventEnvelope, headers: Record<string, string>): Promise<void>;
  /** True when deliveries issued together still arrive in issue order (the relay may pipeline them). */
  readonly deliversInOrder: boolean = false;
  /** For readiness: the transport can carry messages now. */
  abstract isReady(): boolean;
  abstract close(): Promise<void>;
}
