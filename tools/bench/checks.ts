import { EVENTS_STREAM } from '@cs/contracts';
import { createConnection } from 'mysql2/promise';
import { connect, DeliverPolicy } from 'nats';
import { waitFor } from '../../libs/testing/src/lib/spawn-app';
import { send } from './http';

const IDLE_MS = 3000;
const DRAIN_TIMEOUT_MS = 120000;

/** One query on a database given by its URL (mysql://.../<database>). */
export async function query<T>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const connection = await createConnection({ uri: databaseUrl });
  try {
    const [rows] = await connection.query(sql, params);
    return rows as T[];
  } finally {
    await connection.end();
  }
}

export async function count(databaseUrl: string, sql: string, params: unknown[] = []): Promise<number> {
  const rows = await query<{ n: number | string }>(databaseUrl, sql, params);
  return Number(rows[0].n);
}

/** Polls /health/ready of the apps until their outboxes hold nothing unsent (every event published). */
export async function waitOutboxesDrained(appUrls: string[]): Promise<void> {
  let last = '';
  await waitFor(
    async () => {
      for (const url of appUrls) {
        const answer = await send('GET', `${url}/health/ready`).catch(() => undefined);
        last = `${url}: ${answer?.status ?? 'no answer'} ${answer?.body.slice(0, 200) ?? ''}`;
        const outbox = answer
          ? (JSON.parse(answer.body || '{}') as { outbox?: { unsent?: number } }).outbox
          : undefined;
        if (answer?.status !== 200 || outbox?.unsent !== 0) return false;
      }
      return true;
    },
    DRAIN_TIMEOUT_MS,
    () => `outboxes not drained after ${DRAIN_TIMEOUT_MS} ms: ${last}`,
  );
}

/**
 * Counts the events per subject in CS_EVENTS since `from` whose envelope contains `needle` (the run's
 * `"customer_id":"<prefix>`, carried by every gms event as the owner of the service), read with an ordered
 * consumer as an outside subscriber does. Other runs share the stream; the needle keeps them out.
 */
export async function countEvents(
  natsUrl: string,
  from: Date,
  subjects: string,
  needle: string,
): Promise<Record<string, number>> {
  const nc = await connect({ servers: natsUrl.split(','), name: 'bench-check' });
  const counts: Record<string, number> = {};
  try {
    const consumer = await nc.jetstream().consumers.get(EVENTS_STREAM, {
      filterSubjects: subjects,
      deliver_policy: DeliverPolicy.StartTime,
      opt_start_time: from.toISOString(),
    });
    const messages = await consumer.consume();
    let idle = setTimeout(() => void messages.close(), IDLE_MS);
    for await (const message of messages) {
      clearTimeout(idle);
      if (message.string().includes(needle)) counts[message.subject] = (counts[message.subject] ?? 0) + 1;
      if (message.info.pending === 0) break;
      idle = setTimeout(() => void messages.close(), IDLE_MS);
    }
    clearTimeout(idle);
  } finally {
    await nc.close();
  }
  return counts;
}

export interface Check {
  ok: boolean;
  detail: string;
}

/** Equal counts pass; `detail` lists each comparison. */
export function compare(pairs: [label: string, actual: number, expected: number][]): Check {
  const ok = pairs.every(([, actual, expected]) => actual === expected);
  return {
    ok,
    detail: pairs
      .map(([label, actual, expected]) => `${label} ${actual}${actual === expected ? '=' : '≠'}${expected}`)
      .join(', '),
  };
}
