import { EventSubjects } from '@cs/contracts';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ServiceEvents } from '../maintenance/service-events';
import { ServiceEntity } from '../services/service.entity';
import { ServiceWriter } from '../services/service-writer';
import { StateEntity } from '../states/state.entity';
import { TaskEntity } from '../tasks/task.entity';
import { SWEEP_BATCH_SIZE, sweepBatch } from './sweep-claims';

/**
 * Spec §1.7, §4.28: services whose expiration instant has passed are deleted with their states and
 * tasks, one `cs.gms.service.expired` event each (reads already treat them as unknown).
 */
@Injectable()
export class ExpirationSweeper {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly writer: ServiceWriter,
    private readonly events: ServiceEvents,
  ) {}

  /** Sweeps everything due at `now`, batch by batch; returns how many services were removed. */
  async sweep(now = Date.now()): Promise<number> {
    let total = 0;
    for (;;) {
      const { claimed, done } = await sweepBatch(
        this.dataSource,
        (qb) => qb.where('s.expires_at <= :now', { now }).orderBy('s.expires_at', 'ASC'),
        (manager, rows) => this.remove(manager, rows, now),
        (run) => this.writer.exclusive(run),
      );
      total += done.length;
      if (claimed < SWEEP_BATCH_SIZE) return total;
    }
  }

  private async remove(manager: EntityManager, rows: ServiceEntity[], now: number): Promise<ServiceEntity[]> {
    const removed: ServiceEntity[] = [];
    for (const row of rows) {
      // The condition again: a TTL extended since the claim keeps the service.
      const result = await manager
        .createQueryBuilder()
        .delete()
        .from(ServiceEntity)
        .where('seq = :seq AND expires_at <= :now', { seq: row.seq, now })
        .execute();
      if (result.affected !== 1) continue;
      for (const entity of [StateEntity, TaskEntity]) {
        await manager
          .createQueryBuilder()
          .delete()
          .from(entity)
          .where('tenant = :tenant AND service_id = :serviceId', {
            tenant: row.tenant,
            serviceId: row.serviceId,
          })
          .execute();
      }
      removed.push(row);
    }
    await this.events.recordEach(manager, EventSubjects.gmsServiceExpired, removed);
    return removed;
  }
}
