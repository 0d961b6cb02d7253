import { Gauge, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
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
  const type = dataSource.options.type;
  if (type !== 'mysql' && type !== 'mariadb') return undefined;
  const gauge = (name: string, help: string) => new Gauge({ name, help, registers: [registry] });
  const max = gauge('cs_db_pool_connections_max', 'Size of the database connection pool');
  const inUse = gauge(
    'cs_db_pool_connections_in_use',
    'Pool connections checked out by a query or transaction',
  );
  const idle = gauge('cs_db_pool_connections_idle', 'Open pool connections waiting for work');
  const waiting = gauge(
    'cs_db_pool_requests_waiting',
    'Queries and transactions waiting for a pool connection',
  );
  const all = [max, inUse, idle, waiting];
  return {
    collect: async () => {
      const pool = (dataSource.driver as { pool?: MysqlPool }).pool;
      if (!pool?._allConnections || !pool._freeConnections) {
        for (const g of all) g.reset();
        return;
      }
      const open = pool._allConnections.length;
      const free = pool._freeConnections.length;
      max.set(pool.config?.connectionLimit ?? 0);
      inUse.set(open - free);
      idle.set(free);
      waiting.set(pool._connectionQueue?.length ?? 0);
    },
    clear: () => all.forEach((g) => g.reset()),
  };
}

/** Backlog and relay state from one `status()` call (one small query), plus the relay's running totals. */
export function outboxGauges(registry: Registry, relay: OutboxRelay): ScrapeSource {
  const backlog = new Gauge({
    name: 'cs_outbox_backlog',
    help: 'Events written to the outbox and not yet acknowledged by the transport',
    registers: [registry],
  });
  const oldestAge = new Gauge({
    name: 'cs_outbox_oldest_unsent_age_seconds',
    help: 'Age of the oldest unsent outbox event (0 when none)',
    registers: [registry],
  });
  const active = new Gauge({
    name: 'cs_outbox_relay_active',
    help: '1 when this process holds the relay lease and delivers the outbox',
    registers: [registry],
  });
  registry.registerMetric(
    totalCounter(
      'cs_outbox_published_total',
      'Outbox events this process delivered to the transport',
      () => relay.totals().published,
    ) as never,
  );
  registry.registerMetric(
    totalCounter(
      'cs_outbox_dropped_total',
      'Outbox events this process dropped because the transport can never carry them',
      () => relay.totals().dropped,
    ) as never,
  );
  const gauges = [backlog, oldestAge, active];
  return {
    collect: async () => {
      const status = await relay.status();
      backlog.set(status.unsent);
      const oldest = status.oldestCreatedAt;
      oldestAge.set(oldest === undefined ? 0 : Math.max(0, Date.now() - oldest) / 1000);
      active.set(status.relay === 'active' ? 1 : 0);
    },
    clear: () => gauges.forEach((g) => g.reset()),
  };
}

/** Transport readiness, and on NATS the lag of the service's durable JetStream consumer. */
export function messagingGauges(registry: Registry, bus: MessageBus, service: string): ScrapeSource {
  const ready = new Gauge({
    name: 'cs_transport_ready',
    help: '1 when the message transport is connected',
    registers: [registry],
  });
  const pending = new Gauge({
    name: 'cs_events_consumer_pending',
    help: 'Events of the durable JetStream consumer not handled yet (num_pending + num_ack_pending)',
    labelNames: ['consumer'],
    registers: [registry],
  });
  return {
    collect: async () => {
      ready.set(bus.isReady() ? 1 : 0);
      pending.reset();
      const lag = await eventConsumerLag(service);
      if (lag) pending.set({ consumer: lag.consumer }, lag.pending);
    },
    clear: () => pending.reset(),
  };
}

/** A counter whose value lives elsewhere (the relay's totals): read at scrape time. */
function totalCounter(name: string, help: string, value: () => number) {
  return {
    name,
    help,
    type: 'counter',
    get: () => ({ name, help, type: 'counter', values: [{ value: value(), labels: {} }], aggregator: 'sum' }),
    reset: () => undefined,
  };
}
