import { EventSubjects } from '@cs/contracts';
import { isMySql } from '@cs/platform';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ServiceEntity } from '../services/service.entity';
import { ServiceWriter } from '../services/service-writer';
import type { PurgeCriteria } from './purge-request';
import { ServiceGraphRepository } from './service-graph.repository';
import { ServiceEvents } from './service-events';

/** Services removed per transaction, so that a purge of millions never holds one huge transaction. */
export const PURGE_BATCH_SIZE = 500;

/** How a background purge job (docs/decisions/0010) drives the batches; the synchronous purge has none. */
export interface PurgeBatches {
  size: number;
  /** Before each batch: may pause, or throw to stop before the batch starts. */
  before(): Promise<void>;
  /** In each batch's transaction, after its deletes: throwing rolls the whole batch back. */
  within(manager: EntityManager, deleted: number): Promise<void>;
}

@Injectable()
export class PurgeService {
  constructor(
    private readonly repository: ServiceGraphRepository,
    private readonly events: ServiceEvents,
    private readonly writer: ServiceWriter,
  ) {}

  /**
   * Spec §4.25: deletes the tenant's (and group's) services matching `criteria` with their states and
   * tasks, batch by batch; each batch is one transaction that also writes its `deleted` events.
   * Returns how many services were removed.
   */
  async purge(
    tenant: string,
    group: string | undefined,
    criteria: PurgeCriteria,
    batches?: PurgeBatches,
  ): Promise<number> {
    const due = ServiceGraphRepository.purgeCondition(criteria);
    const size = batches?.size ?? PURGE_BATCH_SIZE;
    let total = 0;
    for (;;) {
      await batches?.before();
      const { selected, deleted } = await this.purgeBatch(tenant, group, criteria, due, size, batches);
      total += deleted.length;
      if (selected < size) return total;
    }
  }

  private async purgeBatch(
    tenant: string,
    group: string | undefined,
    criteria: PurgeCriteria,
    due: ReturnType<typeof ServiceGraphRepository.purgeCondition>,
    size: number,
    batches: PurgeBatches | undefined,
  ): Promise<{ selected: number; deleted: ServiceEntity[] }> {
    const dataSource = this.repository.dataSource;
    if (isMySql(dataSource)) {
      // The candidates are locked (FOR UPDATE) until the batch commits.
      return dataSource.transaction('READ COMMITTED', async (manager) => {
        const rows = await this.repository.purgeCandidates(manager, tenant, group, criteria, size);
        const gone = await this.repository.deleteGraph(
          manager,
          tenant,
          rows.map((r) => r.serviceId),
          due,
        );
        const deleted = rows.filter((r) => gone.has(r.serviceId));
        await this.events.recordEach(manager, EventSubjects.gmsServiceDeleted, deleted, 'purge');
        await batches?.within(manager, deleted.length);
        return { selected: rows.length, deleted };
      });
    }
    // SQLite: read first, then a transaction that starts with its writes and does not interleave with
    // the request path's (ServiceWriter.exclusive); the deletes re-check the criteria, so a service
    // changed in between is left alone.
    const rows = await this.repository.purgeCandidates(dataSource.manager, tenant, group, criteria, size);
    if (rows.length === 0) return { selected: 0, deleted: [] };
    const deleted = await this.writer.exclusive(() =>
      dataSource.transaction(async (manager) => {
        const gone = await this.repository.deleteGraph(
          manager,
          tenant,
          rows.map((r) => r.serviceId),
          due,
        );
        const removed = rows.filter((r) => gone.has(r.serviceId));
        await this.events.recordEach(manager, EventSubjects.gmsServiceDeleted, removed, 'purge');
        await batches?.within(manager, removed.length);
        return removed;
      }),
    );
    return { selected: rows.length, deleted };
  }
}
