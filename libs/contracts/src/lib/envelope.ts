/** Every event on the bus has this envelope (ARCHITECTURE §6). */
export interface EventEnvelope<T = unknown> {
  /** uuid v4, unique per event; also used as the JetStream `Nats-Msg-Id`. */
  id: string;
  /** The subject, e.g. `cs.gms.service.started`. */
  type: string;
  /** UTC ISO-8601 with milliseconds. */
  occurred_at: string;
  tenant: string;
  /** The resource as the API would return it after the change. */
  data: T;
  /** Context that is not part of the resource (e.g. `reason`, `group_id`, an extension name). */
  meta?: Record<string, unknown>;
}

/** What travels on the transport: the message plus its headers (request id and friends). */
export interface BusMessage<T = unknown> {
  headers: Record<string, string>;
  payload: T;
}

export const REQUEST_ID_HEADER = 'x-request-id';

/** A new event envelope; `occurred_at` defaults to now. */
export function makeEvent<T>(
  type: string,
  tenant: string,
  data: T,
  occurredAt = new Date(),
  meta?: Record<string, unknown>,
): EventEnvelope<T> {
  const event: EventEnvelope<T> = {
    id: globalThis.crypto.randomUUID(),
    type,
    occurred_at: occurredAt.toISOString(),
    tenant,
    data,
  };
  if (meta !== undefined) event.meta = meta;
  return event;
}
