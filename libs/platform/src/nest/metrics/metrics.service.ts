import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { internalError, sendError } from '../../core';
import { MessageBus } from '../messaging/message-bus';
import { OutboxRelay } from '../outbox/outbox-relay';
import { SERVICE_CONFIG, type ServiceConfig } from '../service-config';
import { RequestMetrics } from '../../core/request-metrics';
import { routeTemplate, type RoutedApp } from './route-template';
import { messagingGauges, outboxGauges, poolGauges, type ScrapeSource } from './scrape-gauges';

export const METRICS_PATH = '/metrics';
/** A scrape never waits longer than this for a source (a stuck database leaves its gauges absent). */
const SOURCE_TIMEOUT_MS = 2000;
/** Response status recorded when the client went away before any response was sent (nginx's). */
const CLIENT_CLOSED = 499;

const STARTED = Symbol('csMetricsStarted');
type TimedResponse = ServerResponse & { [STARTED]?: number };

/**
 * The app's Prometheus metrics (docs/operations.md): its own Registry (several apps can share a test
 * process), the process defaults, per-route HTTP counters and histograms, and the database, outbox
 * and messaging gauges read at scrape time. `GET /metrics` is a plain Express route registered next
 * to Nest's, outside the base path: no Nest guard (tenant, access, server mode) ever runs for it.
 */
@Injectable()
export class MetricsService implements OnModuleInit {
  readonly registry = new Registry();
  readonly http: RequestMetrics;
  private readonly sources: ScrapeSource[] = [];
  private installed = false;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @InjectDataSource() dataSource: DataSource,
    @Inject(MessageBus) bus: MessageBus,
    private readonly adapterHost: HttpAdapterHost,
    @Optional() @Inject(OutboxRelay) outbox?: OutboxRelay,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.http = new RequestMetrics(this.registry, {
      counter: 'http_requests_total',
      histogram: 'http_request_duration_seconds',
      labels: ['route', 'method', 'status'],
    });
    const pool = poolGauges(this.registry, dataSource);
    if (pool) this.sources.push(pool);
    if (outbox) this.sources.push(outboxGauges(this.registry, outbox));
    this.sources.push(messagingGauges(this.registry, bus, config.name));
  }

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    const server = adapter?.getHttpServer() as Server | undefined;
    if (this.installed || !adapter || !server) return;
    this.installed = true;
    this.recordRequests(server, adapter.getInstance<RoutedApp>());
    adapter.get(METRICS_PATH, (req: IncomingMessage, res: ServerResponse) => void this.serve(req, res));
  }

  /** The exposition text, after reading the scrape-time sources once each. */
  async scrape(): Promise<string> {
    await Promise.all(this.sources.map((source) => collectWithin(source, SOURCE_TIMEOUT_MS)));
    return this.registry.metrics();
  }

  /** First listener of every request: its start time, and one shared close listener (no closure per request). */
  private recordRequests(server: Server, app: RoutedApp): void {
    const http = this.http;
    function onClose(this: TimedResponse): void {
      const started = this[STARTED];
      if (started === undefined) return;
      const status = this.headersSent ? this.statusCode : CLIENT_CLOSED;
      const req = this.req;
      http.observe(
        routeTemplate(req, status, app),
        req.method ?? 'GET',
        status,
        (performance.now() - started) / 1000,
      );
    }
    server.prependListener('request', (_req: IncomingMessage, res: TimedResponse) => {
      res[STARTED] = performance.now();
      res.on('close', onClose);
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const body = await this.scrape();
      res.statusCode = 200;
      res.setHeader('Content-Type', this.registry.contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.end(body);
    } catch (error) {
      this.config.logger.error({ err: error }, 'metrics scrape failed');
      sendError(req, res, internalError(), this.config.defaultException);
    }
  }
}

async function collectWithin(source: ScrapeSource, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    const outcome = await Promise.race([source.collect().then(() => 'done' as const), timeout]);
    if (outcome === 'timeout') source.clear();
  } catch {
    source.clear();
  } finally {
    clearTimeout(timer);
  }
}
