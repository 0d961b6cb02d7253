import type { BusMessage } from '@cs/contracts';
import { NatsContext, ServerNats } from '@nestjs/microservices';
import { JSONCodec, Msg } from 'nats';

const codec = JSONCodec<unknown>();

/**
 * Nest's NATS server, with one change: a message without a reply subject is an event whose body is
 * the bare envelope (as outside publishers and the relay send it), not a Nest packet. It reaches the
 * handler as a BusMessage like everything else, headers included.
 */
export class CsNatsServer extends ServerNats {
  override async handleMessage(channel: string, natsMsg: Msg): Promise<unknown> {
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
