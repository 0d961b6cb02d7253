import { makeEvent } from '@cs/contracts';
import { MessageBus, SERVICE_CONFIG, type ServiceConfig } from '@cs/platform';
import { Inject, Injectable } from '@nestjs/common';

/**
 * Publishes gms events after commit (spec §4 conventions (d)). A lost event is logged; the outbox of
 * the events issue will make delivery durable.
 */
@Injectable()
export class EventAnnouncer {
  constructor(
    private readonly bus: MessageBus,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async announce(
    subject: string,
    tenant: string,
    data: unknown,
    meta: { group?: string; reason?: string; extension?: string } = {},
  ): Promise<void> {
    const fields: Record<string, unknown> = {};
    if (meta.reason !== undefined) fields.reason = meta.reason;
    if (meta.extension !== undefined) fields.extension = meta.extension;
    if (meta.group !== undefined) fields.group_id = meta.group;
    try {
      await this.bus.publish(
        makeEvent(subject, tenant, data, new Date(), Object.keys(fields).length > 0 ? fields : undefined),
      );
    } catch (error) {
      this.config.logger.error({ err: error, subject }, 'event not published');
    }
  }
}
