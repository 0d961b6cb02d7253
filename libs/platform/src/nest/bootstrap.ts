import type { DynamicModule, INestApplication } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import express from 'express';
import type { Server } from 'node:http';
import {
  closeConnectionsAfterResponses,
  drainHttpServer,
  sleep,
  type ShutdownConfig,
} from '../core/graceful-http';
import { ApiExceptionFilter } from './exception.filter';
import { Readiness } from './health/readiness';
import { installHttpPipeline } from './http-pipeline';
import { connectTransport } from './messaging/transport';
import { PinoNestLogger } from './nest-logger';
import { serveOpenApi } from './openapi';
import type { ServiceConfig } from './service-config';

/**
 * Builds a service as a hybrid app (HTTP + messaging) with the platform's pipeline, and starts it.
 * `main.ts` and the e2e tests both go through here, so tests run the real thing.
 */
export async function startServiceApp(
  rootModule: DynamicModule,
  config: ServiceConfig,
): Promise<INestApplication> {
  // Paths are case-sensitive, as at the gateway: `/GENESYS/1/cs/...` must not reach a handler while
  // path-prefix checks (access control, server mode) look for `/genesys/1/cs`. Express reads the
  // setting once, when its router is created, so it is set on a fresh instance before Nest uses it.
  const instance = express();
  instance.enable('case sensitive routing');
  const adapter = new ExpressAdapter(instance);
  const app = await NestFactory.create(rootModule, adapter, {
    bodyParser: false,
    logger: new PinoNestLogger(config.logger),
    abortOnError: false,
  });
  instance.disable('x-powered-by');
  // No ETag: a SHA-1 of every JSON answer that no client of this API uses (~3 % of a write's CPU).
  instance.disable('etag');
  installHttpPipeline(app, config);
  app.setGlobalPrefix(config.basePath, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
    ],
  });
  app.useGlobalFilters(new ApiExceptionFilter(config, app.get(HttpAdapterHost)));
  connectTransport(app, config.name, config.messaging);
  serveOpenApi(app, config);
  await app.startAllMicroservices();
  await app.listen(config.port, config.host);
  // Longer than the gateway's pooled idle sockets, so the gateway never reuses a socket we are closing.
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = 65000;
  server.headersTimeout = 66000;
  const readiness = app.get(Readiness);
  closeConnectionsAfterResponses(server, () => readiness.draining);
  config.logger.info(
    { url: await app.getUrl(), transport: config.messaging.natsUrl ? 'nats' : 'tcp' },
    'started',
  );
  return app;
}

/**
 * SIGTERM/SIGINT: stop gracefully (see `stopGracefully`) and exit 0. The process exits 1 when that
 * takes longer than the delay plus the timeout, or on a second signal (a second Ctrl-C).
 */
export function exitOnSignals(app: INestApplication, config: ServiceConfig, shutdown: ShutdownConfig): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    config.logger.info({ signal, delay_ms: shutdown.delayMs, timeout_ms: shutdown.timeoutMs }, 'stopping');
    setTimeout(
      () => {
        config.logger.warn('did not stop in time; exiting');
        process.exit(1);
      },
      shutdown.delayMs + shutdown.timeoutMs + 1000,
    ).unref();
    stopGracefully(app, config, shutdown).then(
      () => {
        config.logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        config.logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/**
 * The shutdown order: readiness fails first (requests are still served, responses close their
 * connections) for `delayMs`; then the listener closes and in-flight requests finish (at most
 * `timeoutMs`); then Nest closes the app: background work stops, message consumers unsubscribe and
 * finish the messages in hand, the bus and the DB pool close.
 */
export async function stopGracefully(
  app: INestApplication,
  config: ServiceConfig,
  shutdown: ShutdownConfig,
): Promise<void> {
  app.get(Readiness).beginDraining();
  if (shutdown.delayMs > 0) await sleep(shutdown.delayMs);
  const drained = await drainHttpServer(app.getHttpServer() as Server, shutdown.timeoutMs);
  if (!drained)
    config.logger.warn({ timeout_ms: shutdown.timeoutMs }, 'in-flight requests cut after the timeout');
  await app.close();
}
