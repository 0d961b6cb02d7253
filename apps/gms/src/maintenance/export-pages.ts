import { Injectable } from '@nestjs/common';
import type { ServiceEntity } from '../services/service.entity';
import type { StateEntity } from '../states/state.entity';
import type { TaskEntity } from '../tasks/task.entity';
import type { ExportSelection } from './export-request';
import { byService } from './resource-views';
import { ServiceGraphRepository, type PageCursor } from './service-graph.repository';

export const EXPORT_PAGE_SIZE = 500;

export interface ExportedService {
  /** Without content: only `seq`, `serviceId` and `startedAt` are loaded. */
  service: ServiceEntity;
  /** Loaded only when content is asked for; in id order. */
  states: StateEntity[];
  tasks: TaskEntity[];
}

/**
 * Reads an export (spec §4.26, §4.27) page by page with keyset pagination on (started_at, seq), so
 * memory stays bounded whatever the number of services; states and tasks come in one query each
 * per page.
 */
@Injectable()
export class ExportPages {
  constructor(private readonly repository: ServiceGraphRepository) {}

  async *read(
    tenant: string,
    group: string | undefined,
    selection: ExportSelection,
    withContent: boolean,
    now = Date.now(),
    pageSize = EXPORT_PAGE_SIZE,
  ): AsyncGenerator<ExportedService[]> {
    let cursor: PageCursor | undefined;
    for (;;) {
      const services = await this.repository.exportPage(
        tenant,
        group,
        selection,
        now,
        cursor,
        pageSize,
        !withContent,
      );
      if (services.length === 0) return;
      yield withContent
        ? await this.withContent(tenant, services)
        : services.map((service) => ({ service, states: [], tasks: [] }));
      if (services.length < pageSize) return;
      const last = services[services.length - 1];
      cursor = { startedAt: last.startedAt, seq: last.seq };
    }
  }

  private async withContent(tenant: string, services: ServiceEntity[]): Promise<ExportedService[]> {
    const ids = services.map((s) => s.serviceId);
    const [states, tasks] = await Promise.all([
      this.repository.statesOf(tenant, ids),
      this.repository.tasksOf(tenant, ids),
    ]);
    const statesBy = byService(states);
    const tasksBy = byService(tasks);
    return services.map((service) => ({
      service,
      states: statesBy.get(service.serviceId) ?? [],
      tasks: tasksBy.get(service.serviceId) ?? [],
    }));
  }
}
