import type { BusMessage } from '@cs/contracts';
import { NatsContext, ServerNats } from '@nestjs/microservices';
import { JSONCodec, Msg, Subscription } from 'nats';

const codec = JSONCodec<unknown>();
const DRAIN_TIMEOUT_MS = 5000;

/**
 * Nest's NATS server, with one change: a message without a reply subject is an event whose body is
 * the bare envelope (as outside publishers and the relay send it), not a Nest packet. It reaches the
 * handler as a BusMessage like everything else, headers included.
 */
export class CsNatsServer extends ServerNats {
  /** Messages whose handler has not finished yet (shutdown waits for them). */
  private readonly inFlight = new Set<Promise<unknown>>();

  override handleMessage(channel: string, natsMsg: Msg): Promise<unknown> {
    const handled = this.handleOne(channel, natsMsg);
    this.inFlight.add(handled);
    void handled.finally(() => this.inFlight.delete(handled)).catch(() => undefined);
    return handled;
  }

  /** Shutdown: stop taking messages, let the ones in hand finish (bounded), then close. */
  override async close(): Promise<void> {
    // Nest keeps the subscriptions in a private field (it unsubscribes them itself only with a fixed wait).
    const { subscriptions } = this as unknown as { subscriptions?: Subscription[] };
    for (const subscription of subscriptions ?? []) subscription.unsubscribe();
    const pending = Promise.allSettled([...this.inFlight]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([pending, new Promise((resolve) => (timer = setTimeout(resolve, DRAIN_TIMEOUT_MS)))]);
    clearTimeout(timer);
    await super.close();
  }

  private async handleOne(channel: string, natsMsg: Msg): Promise<unknown> {
    if (natsMsg.reply) return super.handleMessage(channel, natsMsg as never);
    let payload: unknown;
    try {
      payload = codec.decode(natsMsg.data);
    } catch {
      this.logger.error(`Dropped a message on '${natsMsg.subject}' that is not JSON`);
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, values] of natsMsg.headers ?? []) headers[name.toLowerCase()] = values[0];
    const message: BusMessage = { headers, payload };
    return this.handleEvent(
      channel,
      { pattern: channel, data: message },
      new NatsContext([natsMsg.subject, natsMsg.headers as never]),
    );
  }
}
