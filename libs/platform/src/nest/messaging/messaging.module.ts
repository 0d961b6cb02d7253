import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { SERVICE_CONFIG, ServiceConfig } from '../service-config';
import { MessageBus } from './message-bus';
import { NatsBus } from './nats-bus';
import { TcpBus } from './tcp-bus';

/** Provides the MessageBus for the configured transport. */
@Global()
@Module({
  providers: [
    {
      provide: MessageBus,
      inject: [SERVICE_CONFIG],
      useFactory: async (config: ServiceConfig): Promise<MessageBus> => {
        const m = config.messaging;
        if (m.natsUrl) {
          return NatsBus.connect(
            m.natsUrl,
            `${config.name}-client-${process.pid}`,
            m.requestTimeoutMs,
            config.logger,
            { eventsMaxAgeMs: m.eventsMaxAgeMs },
          );
        }
        return new TcpBus(config.name, m.tcpPeers, m.requestTimeoutMs, config.logger);
      },
    },
  ],
  exports: [MessageBus],
})
export class MessagingModule implements OnApplicationShutdown {
  constructor(@Inject(MessageBus) private readonly bus: MessageBus) {}

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}
