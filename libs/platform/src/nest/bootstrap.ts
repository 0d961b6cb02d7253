import type { DynamicModule, INestApplication } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { ApiExceptionFilter } from './exception.filter';
import { installHttpPipeline } from './http-pipeline';
import { BusContextInterceptor } from './messaging/bus-context.interceptor';
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
  const app = await NestFactory.create(rootModule, {
    bodyParser: false,
    logger: new PinoNestLogger(config.logger),
    abortOnError: false,
  });
  (app.getHttpAdapter().getInstance() as { disable(setting: string): void }).disable('x-powered-by');
  installHttpPipeline(app, config);
  app.setGlobalPrefix(config.basePath, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
    ],
  });
  app.useGlobalFilters(new ApiExceptionFilter(config, app.get(HttpAdapterHost)));
  app.useGlobalInterceptors(new BusContextInterceptor());
  connectTransport(app, config.name, config.messaging);
  serveOpenApi(app, config);
  await app.startAllMicroservices();
  await app.listen(config.port, config.host);
  // Longer than the gateway's pooled idle sockets, so the gateway never reuses a socket we are closing.
  const server = app.getHttpServer() as { keepAliveTimeout: number; headersTimeout: number };
  server.keepAliveTimeout = 65000;
  server.headersTimeout = 66000;
  config.logger.info(
    { url: await app.getUrl(), transport: config.messaging.natsUrl ? 'nats' : 'tcp' },
    'started',
  );
  return app;
}

/** SIGTERM/SIGINT: close the app (HTTP server, transport, DB pool) and exit 0; a second signal forces it. */
export function exitOnSignals(app: INestApplication, config: ServiceConfig): void {
  let closing = false;
  const stop = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    config.logger.info({ signal }, 'stopping');
    setTimeout(() => process.exit(1), 10000).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        config.logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
