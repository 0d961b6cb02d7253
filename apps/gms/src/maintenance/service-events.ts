import { Injectable } from '@nestjs/common';
import { EventAnnouncer } from '../events/announcer';
import type { ServiceEntity } from '../services/service.entity';
import { toServiceView } from '../services/service-view';

/**
 * One event per service after the change committed (spec §1.10), `data` being the service with every
 * extension, through the request path's announcer (same envelope and `meta`).
 */
@Injectable()
export class ServiceEvents {
  constructor(private readonly announcer: EventAnnouncer) {}

  async publishEach(subject: string, rows: ServiceEntity[], reason?: string): Promise<void> {
    for (const row of rows) {
      await this.announcer.announce(subject, row.tenant, toServiceView(row, { extensions: 'all' }), {
        reason,
        group: row.groupId ?? undefined,
      });
    }
  }
}
