import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { isMySql } from '../database/dialect';
import type { MessageBus } from '../messaging/message-bus';
import { eventConsumerLag } from '../messaging/nats-server';
import type { OutboxRelay } from '../outbox/outbox-relay';

/**
 * Values read when Prometheus scrapes, not on a timer. `collect` sets the gauges, or removes them
 * when the source did not answer (an absent series, not a stale one).
 */
export interface ScrapeSource {
  collect(): Promise<void>;
  /** Called when `collect` failed or timed out. */
  clear(): void;
}

/** The mysql2 pool's internals TypeORM keeps as `driver.pool` (no public accessor for these counts). */
interface MysqlPool {
  config?: { connectionLimit?: number };
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
}

/** mysql2 pool usage; undefined for SQLite (one connection, statements queue in the app, not in a pool). */
export function poolGauges(registry: Registry, dataSource: DataSource): ScrapeSource | undefined {
  if (!isMySql(dataSource)) return undefined;
  const max = gauge(registry, 'cs_db_pool_connections_max', 'Size of the database connection pool');
  const inUse = gauge(
    registry,
    'cs_db_pool_connections_in_use',
    'Pool connections checked out by a query or transaction',
  );
  const idle = gauge(registry, 'cs_db_pool_connections_idle', 'Open pool connections waiting for work');
  const waiting = gauge(
    registry,
    'cs_db_pool_requests_waiting',
    'Queries and transactions waiting for a pool connection',
  );
  const all = [max, inUse, idle, waiting];
  const clear = () => all.forEach((g) => g.clear());
  return {
    collect: async () => {
      const pool = (dataSource.driver as { pool?: MysqlPool }).pool;
      if (!pool?._allConnections || !pool._freeConnections) return clear();
      const open = pool._allConnections.length;
      const free = pool._freeConnections.length;
      max.set(pool.config?.connectionLimit ?? 0);
      inUse.set(open - free);
      idle.set(free);
      waiting.set(pool._connectionQueue?.length ?? 0);
    },
    clear,
  };
}

/** Backlog and relay state from one `status()` call (one small query), plus the relay's running totals. */
export function outboxGauges(registry: Registry, relay: OutboxRelay): ScrapeSource {
  const backlog = gauge(
    registry,
    'cs_outbox_backlog',
    'Events written to the outbox and not yet acknowledged by the transport',
  );
  const oldestAge = gauge(
    registry,
    'cs_outbox_oldest_unsent_age_seconds',
    'Age of the oldest unsent outbox event (0 when none)',
  );
  const active = gauge(
    registry,
    'cs_outbox_relay_active',
    '1 when this process holds the relay lease and delivers the outbox',
  );
  // Counters the relay keeps itself: read as they are, without the database.
  registry.registerMetric(
    new ScrapedValue(
      'cs_outbox_published_total',
      'counter',
      'Outbox events this process delivered to the transport',
      () => relay.totals().published,
    ) as never,
  );
  registry.registerMetric(
    new ScrapedValue(
      'cs_outbox_dropped_total',
      'counter',
      'Outbox events this process dropped because the transport can never carry them',
      () => relay.totals().dropped,
    ) as never,
  );
  const all = [backlog, oldestAge, active];
  return {
    collect: async () => {
      const status = await relay.status();
      backlog.set(status.unsent);
      const oldest = status.oldestCreatedAt;
      oldestAge.set(oldest === undefined ? 0 : Math.max(0, Date.now() - oldest) / 1000);
      active.set(status.relay === 'active' ? 1 : 0);
    },
    clear: () => all.forEach((g) => g.clear()),
  };
}

/** Transport readiness, and on NATS the lag of the service's durable JetStream consumer. */
export function messagingGauges(registry: Registry, bus: MessageBus, service: string): ScrapeSource {
  const ready = gauge(registry, 'cs_transport_ready', '1 when the message transport is connected');
  const pending = gauge(
    registry,
    'cs_events_consumer_pending',
    'Events of the durable JetStream consumer not handled yet (num_pending + num_ack_pending)',
  );
  return {
    collect: async () => {
      ready.set(bus.isReady() ? 1 : 0);
      const lag = await eventConsumerLag(service);
      if (lag) pending.set(lag.pending, { consumer: lag.consumer });
      else pending.clear();
    },
    clear: () => pending.clear(),
  };
}

function gauge(registry: Registry, name: string, help: string): ScrapedValue {
  const value = new ScrapedValue(name, 'gauge', help);
  registry.registerMetric(value as never);
  return value;
}

/**
 * One series read at scrape time. Unlike a prom-client Gauge (which shows 0 once reset), a cleared
 * value is absent from the scrape: an unknown backlog must not read as an empty one.
 */
class ScrapedValue {
  private value?: { value: number; labels: Record<string, string> };

  constructor(
    readonly name: string,
    readonly type: 'gauge' | 'counter',
    readonly help: string,
    /** Where a value kept elsewhere is read from (a counter); otherwise `set` gives it. */
    private readonly read?: () => number,
  ) {}

  set(value: number, labels: Record<string, string> = {}): void {
    this.value = { value, labels };
  }

  clear(): void {
    this.value = undefined;
  }

  get() {
    const current = this.read ? { value: this.read(), labels: {} } : this.value;
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      values: current ? [current] : [],
      aggregator: 'sum',
    };
  }

  reset(): void {
    // prom-client's Registry.resetMetrics(); the values belong to their sources
  }
}
