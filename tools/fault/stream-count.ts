import { EVENTS_STREAM, EventSubjects } from '@cs/contracts';
import { connect, DeliverPolicy } from 'nats';
import { queryDatabase } from '../../libs/testing/src/lib/query-database';

export interface StartedEventCounts {
  /** cs.gms.service.started events per data.service_id (only this run's interactions). */
  byServiceId: Map<string, number>;
  /** The same events per data.started.interaction_id. */
  byInteractionId: Map<string, number>;
  /** Messages read from the stream (all runs sharing the server since `from`). */
  scanned: number;
}

const IDLE_MS = 3000;

/**
 * Reads cs.gms.service.started from CS_EVENTS since `from` with an ordered (ephemeral) consumer, as an
 * outside subscriber does, and counts this run's events (interaction ids starting with `prefix`).
 */
export async function countStartedEvents(
  natsUrl: string,
  from: Date,
  prefix: string,
): Promise<StartedEventCounts> {
  const nc = await connect({ servers: natsUrl.split(','), name: 'fault-run' });
  const counts: StartedEventCounts = { byServiceId: new Map(), byInteractionId: new Map(), scanned: 0 };
  try {
    const consumer = await nc.jetstream().consumers.get(EVENTS_STREAM, {
      filterSubjects: EventSubjects.gmsServiceStarted,
      deliver_policy: DeliverPolicy.StartTime,
      opt_start_time: from.toISOString(),
    });
    const messages = await consumer.consume();
    // Stop at the last pending message, or after IDLE_MS without one (nothing matched at all).
    let idle = setTimeout(() => void messages.close(), IDLE_MS);
    for await (const message of messages) {
      clearTimeout(idle);
      countEnvelope(counts, JSON.parse(message.string()) as StartedEnvelope, prefix);
      if (message.info.pending === 0) break;
      idle = setTimeout(() => void messages.close(), IDLE_MS);
    }
    clearTimeout(idle);
  } finally {
    await nc.close();
  }
  return counts;
}

/**
 * The embedded mode has no stream: the record of what was published is the gms outbox (rows are kept
 * after delivery for CS_OUTBOX_RETENTION_MS). Counts its cs.gms.service.started rows like the above.
 */
export async function countStartedOutboxRows(
  gmsDatabaseUrl: string,
  prefix: string,
): Promise<StartedEventCounts> {
  const counts: StartedEventCounts = { byServiceId: new Map(), byInteractionId: new Map(), scanned: 0 };
  const rows = await queryDatabase<{ envelope: unknown }>(
    gmsDatabaseUrl,
    'SELECT envelope FROM outbox WHERE subject = ?',
    [EventSubjects.gmsServiceStarted],
  );
  for (const row of rows) {
    const envelope = typeof row.envelope === 'string' ? JSON.parse(row.envelope) : row.envelope;
    countEnvelope(counts, envelope as StartedEnvelope, prefix);
  }
  return counts;
}

interface StartedEnvelope {
  data?: { service_id?: unknown; started?: { interaction_id?: unknown } };
}

function countEnvelope(counts: StartedEventCounts, envelope: StartedEnvelope, prefix: string): void {
  counts.scanned++;
  const interactionId = envelope.data?.started?.interaction_id;
  const serviceId = envelope.data?.service_id;
  if (typeof interactionId === 'string' && interactionId.startsWith(prefix)) {
    bump(counts.byInteractionId, interactionId);
    if (typeof serviceId === 'string') bump(counts.byServiceId, serviceId);
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
