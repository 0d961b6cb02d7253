import type { EventEnvelope } from '@cs/contracts';

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/**
 * An event over the transport's max payload (NATS: 1 MiB by default, while one gms resource may hold
 * 8 MiB of extensions) is still published, never dropped: the largest top-level fields of `data` are
 * left out, largest first, until the envelope fits, and `meta.omitted` names them. Identity fields
 * (ids, timestamps, the start/end events) are small, so they stay; a subscriber that needs the rest
 * reads the resource through the API. Returns undefined when even the bare envelope does not fit.
 */
export function fitToPayload(envelope: EventEnvelope, maxBytes: number): EventEnvelope | undefined {
  if (bytes(envelope) <= maxBytes) return envelope;
  const data = envelope.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const kept: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  const bySize = Object.keys(kept).sort((a, b) => bytes(kept[b]) - bytes(kept[a]));
  const omitted: string[] = [];
  for (const name of bySize) {
    delete kept[name];
    omitted.push(name);
    const fitted = { ...envelope, data: kept, meta: { ...envelope.meta, omitted } };
    if (bytes(fitted) <= maxBytes) return fitted;
  }
  return undefined;
}
