import { EventSubjects } from '@cs/contracts';
import { formatDateTime } from '@cs/platform/core';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ServiceEvents } from '../maintenance/service-events';
import { ServiceEntity } from '../services/service.entity';
import { ServiceWriter } from '../services/service-writer';
import { StateEntity } from '../states/state.entity';
import { TaskEntity } from '../tasks/task.entity';
import { SWEEP_BATCH_SIZE, sweepBatch } from './sweep-claims';

/** Still due: active, deadline passed (a write since the claim moved the deadline), not expired. */
const DUE =
  'completed_at IS NULL AND auto_complete_at IS NOT NULL AND auto_complete_at <= :now AND expires_at > :now';

/**
 * Spec §1.8, §4.28: an active service whose auto-complete deadline has passed is completed as in
 * §4.3 — `completed = {timestamp: sweep time}`, no disposition, its still-active states and tasks
 * completed with the same timestamp — and announced with `reason: "auto-complete"`.
 */
@Injectable()
export class AutoCompleteSweeper {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly writer: ServiceWriter,
    private readonly events: ServiceEvents,
  ) {}

  /** Completes everything due at `now`, batch by batch; returns how many services were completed. */
  async sweep(now = Date.now()): Promise<number> {
    let total = 0;
    for (;;) {
      const { claimed, done } = await sweepBatch(
        this.dataSource,
        (qb) =>
          qb
            .where(
              's.completed_at IS NULL AND s.auto_complete_at IS NOT NULL AND s.auto_complete_at <= :now',
              { now },
            )
            .andWhere('s.expires_at > :now')
            .orderBy('s.auto_complete_at', 'ASC'),
        (manager, rows) => this.complete(manager, rows, now),
        (run) => this.writer.exclusive(run),
      );
      total += done.length;
      if (claimed < SWEEP_BATCH_SIZE) return total;
    }
  }

  private async complete(
    manager: EntityManager,
    rows: ServiceEntity[],
    now: number,
  ): Promise<ServiceEntity[]> {
    const completed = JSON.stringify({ timestamp: formatDateTime(now) });
    const done: ServiceEntity[] = [];
    for (const row of rows) {
      const changes = { completed, completedAt: now };
      // updated_at = now, the sliding expiration re-based, auto_complete_at cleared (completed).
      const set = { ...changes, ...this.writer.touch({ ...row, ...changes }, now) };
      const result = await manager
        .createQueryBuilder()
        .update(ServiceEntity)
        .set(set)
        .where(`seq = :seq AND ${DUE}`, { seq: row.seq, now })
        .updateEntity(false)
        .execute();
      if (result.affected !== 1) continue;
      for (const entity of [StateEntity, TaskEntity]) {
        await manager
          .createQueryBuilder()
          .update(entity)
          .set({ completed, completedAt: now })
          .where('tenant = :tenant AND service_id = :serviceId AND completed_at IS NULL', {
            tenant: row.tenant,
            serviceId: row.serviceId,
          })
          .updateEntity(false)
          .execute();
      }
      done.push({ ...row, ...set });
    }
    await this.events.recordEach(manager, EventSubjects.gmsServiceCompleted, done, 'auto-complete');
    return done;
  }
}
