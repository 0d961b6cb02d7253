import {
  EVENT_DELIVERY_SUBJECT,
  type BusMessage,
  type EventEnvelope,
  type RpcErrorShape,
} from '@cs/contracts';
import { isRpcErrorShape } from '@cs/contracts';
import { ServerTCP, TcpContext, type TcpOptions } from '@nestjs/microservices';
import { from, isObservable, lastValueFrom, type Observable } from 'rxjs';

/**
 * The embedded mode's event receiver: Nest's TCP server plus one request handler,
 * `cs.events.deliver`, through which the relay of a peer service hands over an event and waits.
 * It runs the local `@EventPattern` handler of `envelope.type` (the same handler NATS mode feeds from
 * JetStream) and answers once it finished; a failure answers an RPC error so the sender retries.
 * An event type this service does not handle is answered at once: nothing to do.
 */
export class CsTcpServer extends ServerTCP {
  constructor(options: NonNullable<TcpOptions['options']>) {
    super(options);
    // The handler's promise must not reject (Nest awaits it outside its error reply): failures travel
    // inside the Observable it resolves to.
    this.addHandler(EVENT_DELIVERY_SUBJECT, (data: unknown, context: TcpContext) =>
      Promise.resolve(from(this.deliver(data, context))),
    );
  }

  private async deliver(data: unknown, context: TcpContext): Promise<{ applied: boolean }> {
    const message = data as Partial<BusMessage<Partial<EventEnvelope>>> | null;
    const type = message?.payload?.type;
    if (typeof type !== 'string' || type.length === 0) {
      throw rpcError(
        400,
        'INVALID_EVENT',
        `'${EVENT_DELIVERY_SUBJECT}' needs a BusMessage whose payload is an event envelope`,
      );
    }
    const handler = this.getHandlerByPattern(type);
    if (!handler?.isEventHandler) return { applied: false };
    const busMessage: BusMessage = { headers: message?.headers ?? {}, payload: message?.payload };
    try {
      const result: unknown = await handler(busMessage, context);
      if (isObservable(result))
        await lastValueFrom(result as Observable<unknown>, { defaultValue: undefined });
    } catch (error) {
      this.logger.error(`Event ${type} ${String(message?.payload?.id)} not applied: ${describe(error)}`);
      throw isRpcErrorShape(error)
        ? error
        : rpcError(500, 'EVENT_NOT_APPLIED', `Event ${type} was not applied`);
    }
    return { applied: true };
  }
}

function rpcError(status: number, code: string, message: string): RpcErrorShape {
  return { status, code, message };
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
