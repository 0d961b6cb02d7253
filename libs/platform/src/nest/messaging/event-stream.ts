import { EVENTS_STREAM } from '@cs/contracts';
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamManager,
  NatsError,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type NatsConnection,
} from 'nats';

/** The JetStream stream every event is stored in (ARCHITECTURE §6): all subjects under `cs.`. */
export const EVENT_STREAM = EVENTS_STREAM;
export const EVENT_STREAM_SUBJECTS = ['cs.>'];

/** Default of how long a delivered event may stay unacknowledged before the server hands it to another replica. */
export const EVENT_ACK_WAIT_MS = 30_000;

/**
 * Creates the event stream when it does not exist yet (the producer's relay does the same; whoever
 * comes first wins, the config is the same). File storage: events survive a server restart.
 */
export async function ensureEventStream(jsm: JetStreamManager, maxAgeMs?: number): Promise<void> {
  try {
    await jsm.streams.info(EVENT_STREAM);
    return;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  try {
    await jsm.streams.add({
      name: EVENT_STREAM,
      subjects: EVENT_STREAM_SUBJECTS,
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      ...(maxAgeMs ? { max_age: maxAgeMs * 1_000_000 } : {}),
    });
  } catch (error) {
    // Created by another process between our look-up and our add.
    if (!(error instanceof NatsError && /already in use|name already/i.test(error.message))) throw error;
  }
}

export interface DurableOptions {
  durable: string;
  subjects: string[];
  /** `new`: events stored from `newSince` on (the app's start), so none is missed while it connects. */
  start: 'all' | 'new';
  newSince?: Date;
  /** 0: kept forever. */
  inactiveMs: number;
  ackWaitMs?: number;
}

/**
 * The service's one durable pull consumer (all replicas pull from it, so each event goes to one of
 * them). NATS 2.10+ filters on the exact handled subjects; older servers filter on the narrowest
 * wildcard that covers them and the receiver acknowledges subjects it has no handler for. Returns a
 * problem to log when an existing durable could not be updated.
 */
export async function ensureDurable(
  nc: NatsConnection,
  options: DurableOptions,
): Promise<string | undefined> {
  const jsm = await nc.jetstreamManager();
  const multiFilter = serverAtLeast(nc.info?.version, 2, 10);
  const config: Partial<ConsumerConfig> = {
    durable_name: options.durable,
    ack_policy: AckPolicy.Explicit,
    ack_wait: (options.ackWaitMs ?? EVENT_ACK_WAIT_MS) * 1_000_000,
    max_deliver: -1,
    ...(options.start === 'all'
      ? { deliver_policy: DeliverPolicy.All }
      : options.newSince
        ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: options.newSince.toISOString() }
        : { deliver_policy: DeliverPolicy.New }),
    ...(multiFilter
      ? { filter_subjects: [...options.subjects].sort() }
      : { filter_subject: coveringFilter(options.subjects) }),
    ...(options.inactiveMs > 0 ? { inactive_threshold: options.inactiveMs * 1_000_000 } : {}),
  };
  try {
    await jsm.consumers.info(EVENT_STREAM, options.durable);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    try {
      await jsm.consumers.add(EVENT_STREAM, config);
      return undefined;
    } catch (addError) {
      // Another replica created it at the same moment: fall through to the update.
      if (!(addError instanceof NatsError)) throw addError;
    }
  }
  // Existing durable: keep its position, bring the editable settings (and on 2.10+ the filters) up to date.
  const { durable_name: _name, deliver_policy: _start, opt_start_time: _since, ...editable } = config;
  void _name;
  void _start;
  void _since;
  try {
    await jsm.consumers.update(EVENT_STREAM, options.durable, editable);
  } catch (error) {
    // E.g. a NATS 2.9 server refusing a new filter: keep consuming with the durable as it is (deleting
    // it would lose its position); the caller reports it.
    if (!(error instanceof NatsError)) throw error;
    return `durable '${options.durable}' kept its previous settings: ${error.message}`;
  }
  return undefined;
}

/** `a.b.c` for one subject; otherwise the common leading tokens plus `>` (`cs.>` at the widest). */
export function coveringFilter(subjects: string[]): string {
  const unique = [...new Set(subjects)];
  if (unique.length === 1) return unique[0];
  const split = unique.map((s) => s.split('.'));
  const common: string[] = [];
  for (let i = 0; ; i++) {
    const token = split[0][i];
    // Stop before the last token of the shortest subject: `>` must match at least one more token.
    if (split.some((parts) => i >= parts.length - 1 || parts[i] !== token)) break;
    common.push(token);
  }
  return common.length === 0 ? '>' : `${common.join('.')}.>`;
}

function serverAtLeast(version: string | undefined, major: number, minor: number): boolean {
  const [a, b] = (version ?? '0.0').split('.').map((n) => Number.parseInt(n, 10));
  return a > major || (a === major && b >= minor);
}

function isNotFound(error: unknown): boolean {
  return error instanceof NatsError && (error.api_error?.code === 404 || /not found/i.test(error.message));
}
