import type { INestApplication } from '@nestjs/common';
import type { MessagingConfig } from '../../core/common-env';
import { CsTcpServer } from './event-delivery';
import { EVENT_ACK_WAIT_MS } from './event-stream';
import { CsNatsServer } from './nats-server';

/**
 * Attaches the message server to a hybrid app: NATS (requests in the service's queue group, events
 * from the service's durable JetStream consumer), or TCP (requests, and events handed over with
 * `cs.events.deliver`).
 */
export function connectTransport(app: INestApplication, service: string, config: MessagingConfig): void {
  if (config.natsUrl) {
    const events = config.events ?? {
      durableSuffix: '',
      start: 'all',
      durableTtlMs: 0,
      ackWaitMs: EVENT_ACK_WAIT_MS,
    };
    const strategy = new CsNatsServer(
      {
        servers: config.natsUrl.split(','),
        queue: service,
        name: `${service}-server-${process.pid}`,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
      },
      {
        durable: `${service}${events.durableSuffix}`,
        start: events.start,
        durableTtlMs: events.durableTtlMs,
        ackWaitMs: events.ackWaitMs,
        streamMaxAgeMs: config.eventsMaxAgeMs,
      },
    );
    app.connectMicroservice({ strategy }, { inheritAppConfig: true });
    return;
  }
  const own = config.tcpPeers[service];
  if (!own) throw new Error(`No TCP transport address configured for '${service}'`);
  app.connectMicroservice({ strategy: new CsTcpServer(own) }, { inheritAppConfig: true });
}
