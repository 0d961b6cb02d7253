import type { EventEnvelope } from '@cs/contracts';
import type { Logger } from '../../core/logger';
import { UndeliverableEvent } from '../messaging/message-bus';
import type { OutboxBacklog, OutboxRow, RelayStore } from './outbox-store';
import type { RelayLease } from './relay-lease';

/** The part of the MessageBus the relay uses. */
export interface RelayTransport {
  deliver(envelope: EventEnvelope, headers: Record<string, string>): Promise<void>;
  readonly deliversInOrder: boolean;
  isReady(): boolean;
}

export interface RelaySettings {
  pollMs: number;
  batch: number;
  retentionMs: number;
  /** First retry delay after a failed delivery; doubles up to `maxBackoffMs`. */
  backoffMs?: number;
  /**
   * Default 5 s: a retry is one cheap request, and a peer or NATS that comes back should see the
   * backlog within seconds, not after a long sleep.
   */
  maxBackoffMs?: number;
  /** How often a standby tries to take the lease, and the active relay checks it still holds it. */
  leaseCheckMs?: number;
  /** How often sent rows older than the retention are deleted. */
  pruneEveryMs?: number;
}

export type RoundOutcome = 'idle' | 'delivered' | 'failed';

export interface RelayStatus extends OutboxBacklog {
  /** `active`: this process delivers; `standby`: another replica holds the lease. */
  relay: 'active' | 'standby' | 'stopped';
  /** Consecutive failed rounds (0 when the last round went through). */
  failures: number;
  /** Events this process dropped because the transport can never carry them (logged at error). */
  dropped: number;
}

/**
 * Ships outbox rows to the transport in `seq` order and marks each sent only after its ack
 * (ARCHITECTURE §6). At-least-once: a row delivered but not yet marked is delivered again after a
 * crash, and JetStream drops it by its `Nats-Msg-Id`; consumers remember processed ids for the rest.
 * One round runs at a time; a failure stops the round at the first unacknowledged row, so later
 * rows never overtake it.
 */
export class OutboxRelay {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private woken = false;
  private active = false;
  private failures = 0;
  private dropped = 0;
  private published = 0;
  private lastLeaseCheck = 0;
  private lastPrune = 0;
  /** The last round left rows behind (a full batch, or rows after a dropped one): look again at once. */
  private moreLeft = false;

  constructor(
    private readonly store: RelayStore,
    private readonly transport: RelayTransport,
    private readonly lease: RelayLease,
    private readonly settings: RelaySettings,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** A local commit wrote rows: look now instead of at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
    if (this.active) await this.lease.release();
    this.active = false;
  }

  async status(): Promise<RelayStatus> {
    const backlog = await this.store.backlog();
    const relay = !this.running ? 'stopped' : this.active ? 'active' : 'standby';
    return { ...backlog, relay, failures: this.failures, dropped: this.dropped };
  }

  /** Running totals of this process, for metrics: events delivered, and dropped as undeliverable. */
  totals(): { published: number; dropped: number } {
    return { published: this.published, dropped: this.dropped };
  }

  /** One round: the oldest unsent rows, delivered in order, the acknowledged prefix marked sent. */
  async deliverRound(): Promise<RoundOutcome> {
    const rows = await this.store.unsent(this.settings.batch);
    this.moreLeft = false;
    if (rows.length === 0) {
      this.failures = 0; // nothing to retry: wake-ups count again after a failed SELECT or prune
      return 'idle';
    }
    const { acked, error } = await this.deliverInOrder(rows);
    if (error instanceof UndeliverableEvent) {
      // Retrying cannot help and would hold back every later event: log it loudly and move past it.
      this.dropped++;
      this.published += acked;
      this.logger.error(
        { err: error, seq: rows[acked].seq, event_id: error.eventId, dropped: this.dropped },
        'outbox event dropped: the transport cannot carry it',
      );
      await this.store.markSent(
        rows.slice(0, acked + 1).map((r) => r.seq),
        this.now(),
      );
      this.failures = 0;
      this.moreLeft = true;
      return 'delivered';
    }
    if (acked > 0) {
      await this.store.markSent(
        rows.slice(0, acked).map((r) => r.seq),
        this.now(),
      );
      this.published += acked;
    }
    if (error !== undefined) {
      this.failures++;
      this.logger.warn(
        { err: error, seq: rows[acked].seq, unsent: rows.length - acked, failures: this.failures },
        'outbox delivery failed; will retry',
      );
      return 'failed';
    }
    this.failures = 0;
    this.moreLeft = rows.length >= this.settings.batch;
    return 'delivered';
  }

  /** Delay before the next round after `failures` failed ones in a row. */
  backoffDelay(failures: number): number {
    const base = this.settings.backoffMs ?? 200;
    const cap = this.settings.maxBackoffMs ?? 5_000;
    return Math.min(cap, base * 2 ** Math.min(failures - 1, 20));
  }

  private async run(): Promise<void> {
    while (this.running) {
      let delay = this.settings.pollMs;
      try {
        if (await this.holdsLease()) {
          const outcome = await this.deliverRound();
          // A round that saw the whole backlog waits like an idle one: a local commit wakes it at
          // once, so an empty SELECT after every round (a third of the relay's statements) is saved.
          if (outcome === 'delivered' && this.moreLeft) delay = 0;
          else if (outcome === 'failed') delay = this.backoffDelay(this.failures);
          else await this.pruneIfDue();
        } else {
          delay = this.settings.leaseCheckMs ?? 5000;
        }
      } catch (error) {
        this.failures++;
        delay = this.backoffDelay(this.failures);
        this.logger.warn({ err: error, failures: this.failures }, 'outbox relay round failed');
      }
      // A wake-up shortens the poll wait, never a back-off.
      await this.sleep(delay, this.failures === 0);
    }
  }

  private async deliverInOrder(rows: OutboxRow[]): Promise<{ acked: number; error?: unknown }> {
    const send = (row: OutboxRow) =>
      this.transport.deliver(
        JSON.parse(row.envelope) as EventEnvelope,
        JSON.parse(row.headers) as Record<string, string>,
      );
    if (this.transport.deliversInOrder) {
      // The transport keeps issue order (one NATS connection): pipeline the batch, keep the acked prefix.
      const results = await Promise.allSettled(rows.map(send));
      const firstFailure = results.findIndex((r) => r.status === 'rejected');
      if (firstFailure < 0) return { acked: rows.length };
      return { acked: firstFailure, error: (results[firstFailure] as PromiseRejectedResult).reason };
    }
    for (let i = 0; i < rows.length; i++) {
      try {
        await send(rows[i]);
      } catch (error) {
        return { acked: i, error };
      }
    }
    return { acked: rows.length };
  }

  private async holdsLease(): Promise<boolean> {
    const now = this.now();
    const due = now - this.lastLeaseCheck >= (this.settings.leaseCheckMs ?? 5000);
    if (this.active && !due) return true;
    this.lastLeaseCheck = now;
    const was = this.active;
    this.active = this.active ? await this.lease.held() : await this.lease.acquire();
    if (this.active !== was)
      this.logger.info({ relay: this.active ? 'active' : 'standby' }, 'outbox relay lease changed');
    return this.active;
  }

  private async pruneIfDue(): Promise<void> {
    const now = this.now();
    if (now - this.lastPrune < (this.settings.pruneEveryMs ?? 60_000)) return;
    this.lastPrune = now;
    await this.store.prune(now - this.settings.retentionMs);
  }

  private sleep(ms: number, wakeable: boolean): Promise<void> {
    if (!this.running) return Promise.resolve();
    if (wakeable && this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wakeUp = () => {
        if (!wakeable && this.running) return;
        this.woken = false;
        finish();
      };
    });
  }
}
