import { EventSubjects, type EventEnvelope } from '@cs/contracts';
import { isMySql } from '@cs/platform';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { EventAnnouncer } from '../events/announcer';
import { ServiceEntity } from '../services/service.entity';
import { toServiceView } from '../services/service-view';
import { ServicesRepository } from '../services/services.repository';
import { ServiceWriter } from '../services/service-writer';
import type { MergedProfile } from './merged-profile';
import { ProcessedEvents } from './processed-events';

export const PROFILE_EVENTS_CONSUMER = 'gms.profile-events';

/** What one merge did to the source's services (empty when the event was applied before). */
export interface MoveOutcome {
  /** The moved services as they are now. */
  moved: ServiceEntity[];
  /** Completed services removed because of `keep_active_service_only` (as they were). */
  deleted: ServiceEntity[];
}

/**
 * ARCHITECTURE §6 flow 3: after a profile merge, the source customer's services belong to the
 * destination. One transaction: the event id is claimed, then the services are moved (or, with
 * `keep_active_service_only`, the completed ones deleted with their states and tasks, decision 0005),
 * and their `associated` / `deleted` events written to the outbox in the same transaction.
 */
@Injectable()
export class ServicesMover {
  private readonly sqlite: boolean;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly writer: ServiceWriter,
    private readonly services: ServicesRepository,
    private readonly processed: ProcessedEvents,
    private readonly events: EventAnnouncer,
  ) {
    this.sqlite = !isMySql(dataSource);
  }

  async apply(event: EventEnvelope, merge: MergedProfile, now: number): Promise<MoveOutcome> {
    return this.writer.exclusive(() =>
      this.dataSource.transaction(async (manager) => {
        if (!(await this.processed.claim(manager, PROFILE_EVENTS_CONSUMER, event)))
          return { moved: [], deleted: [] };
        const owned = await this.lockServicesOf(manager, event.tenant, merge.sourceId);
        const deleted = merge.keepActiveServiceOnly ? owned.filter((s) => s.completedAt !== null) : [];
        for (const service of deleted)
          await this.services.deleteWithChildren(manager, event.tenant, service.serviceId);
        const moving = owned.filter((s) => !deleted.includes(s));
        if (moving.length > 0) {
          const query = manager
            .createQueryBuilder()
            .update(ServiceEntity)
            .set({ customerId: merge.destinationId, updatedAt: now })
            .where('tenant = :tenant AND customer_id = :source', {
              tenant: event.tenant,
              source: merge.sourceId,
            });
          if (merge.keepActiveServiceOnly) query.andWhere('completed_at IS NULL');
          await query.updateEntity(false).execute();
        }
        const moved = moving.map((s) => ({ ...s, customerId: merge.destinationId, updatedAt: now }));
        // Expired services are unknown to clients: nothing to announce about them.
        const entry = (subject: string, row: ServiceEntity, reason?: string) =>
          this.events.event(subject, event.tenant, row.serviceId, toServiceView(row, { extensions: 'all' }), {
            reason,
            group: row.groupId ?? undefined,
          });
        const live = (row: ServiceEntity) => Number(row.expiresAt) > now;
        await this.events.record(manager, [
          ...moved.filter(live).map((row) => entry(EventSubjects.gmsServiceAssociated, row)),
          ...deleted.filter(live).map((row) => entry(EventSubjects.gmsServiceDeleted, row, 'merge')),
        ]);
        return { moved, deleted };
      }),
    );
  }

  /** The source's services, write-locked on MySQL so a concurrent write waits for the move. */
  private lockServicesOf(
    manager: EntityManager,
    tenant: string,
    customerId: string,
  ): Promise<ServiceEntity[]> {
    const query = manager
      .getRepository(ServiceEntity)
      .createQueryBuilder('s')
      .where('s.tenant = :tenant AND s.customer_id = :customerId', { tenant, customerId })
      .orderBy('s.started_at', 'ASC')
      .addOrderBy('s.service_id', 'ASC');
    if (!this.sqlite) query.setLock('pessimistic_write');
    return query.getMany();
  }
}
