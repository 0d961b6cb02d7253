import { makeEvent } from '@cs/contracts';
import { MessageBus, SERVICE_CONFIG, type ServiceConfig } from '@cs/platform';
import { Inject, Injectable } from '@nestjs/common';

/**
 * Publishes ucs events after the change committed (ARCHITECTURE §6). A lost event is logged; the
 * outbox planned for the events work makes it durable.
 */
@Injectable()
export class UcsEvents {
  constructor(
    private readonly bus: MessageBus,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async publish(
    subject: string,
    tenant: string,
    data: unknown,
    meta?: Record<string, unknown>,
  ): Promise<void> {
    try {
      await this.bus.publish(makeEvent(subject, tenant, data, undefined, meta));
    } catch (error) {
      this.config.logger.error({ err: error, subject }, 'event not published');
    }
  }
}
