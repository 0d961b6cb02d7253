import type { INestApplication } from '@nestjs/common';
import { Transport } from '@nestjs/microservices';
import type { MessagingConfig } from '../../core/common-env';
import { CsNatsServer } from './nats-server';

/** Attaches the message server to a hybrid app: NATS with the service's queue group, or TCP. */
export function connectTransport(app: INestApplication, service: string, config: MessagingConfig): void {
  if (config.natsUrl) {
    const strategy = new CsNatsServer({
      servers: config.natsUrl.split(','),
      queue: service,
      name: `${service}-server-${process.pid}`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    });
    app.connectMicroservice({ strategy }, { inheritAppConfig: true });
    return;
  }
  const own = config.tcpPeers[service];
  if (!own) throw new Error(`No TCP transport address configured for '${service}'`);
  app.connectMicroservice({ transport: Transport.TCP, options: own }, { inheritAppConfig: true });
}
