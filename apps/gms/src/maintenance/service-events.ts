import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventAnnouncer } from '../events/announcer';
import type { ServiceEntity } from '../services/service.entity';
import { toServiceView } from '../services/service-view';

/**
 * One event per service (spec §1.10), `data` being the service with every extension, built like the
 * request path's (same envelope and `meta`) and written to the outbox in the batch's transaction.
 */
@Injectable()
export class ServiceEvents {
  constructor(private readonly announcer: EventAnnouncer) {}

  async recordEach(
    manager: EntityManager,
    subject: string,
    rows: ServiceEntity[],
    reason?: string,
  ): Promise<void> {
    await this.announcer.record(
      manager,
      rows.map((row) =>
        this.announcer.event(subject, row.tenant, row.serviceId, toServiceView(row, { extensions: 'all' }), {
          reason,
          group: row.groupId ?? undefined,
        }),
      ),
    );
  }
}
