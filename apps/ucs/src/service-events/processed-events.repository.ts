import type { EventEnvelope } from '@cs/contracts';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { QueryResult } from 'typeorm/query-runner/QueryResult';
import { ProcessedEventEntity } from './processed-event.entity';

@Injectable()
export class ProcessedEventsRepository {
  /**
   * Records the event as processed by `consumer` in the caller's transaction. False when it already
   * was: the caller then does nothing, so a redelivery has no second effect. On MySQL a concurrent
   * second delivery waits on the key until the first commits, then gets false.
   */
  async claim(manager: EntityManager, consumer: string, event: EventEnvelope): Promise<boolean> {
    const runner = manager.queryRunner;
    if (!runner) throw new Error('ProcessedEventsRepository.claim must run inside a transaction');
    const [sql, parameters] = manager
      .createQueryBuilder()
      .insert()
      .into(ProcessedEventEntity)
      .values({
        consumer,
        eventId: event.id,
        tenant: event.tenant,
        subject: event.type,
        processedAt: Date.now(),
      })
      .orIgnore()
      .getQueryAndParameters();
    const result = (await runner.query(sql, parameters, true)) as QueryResult;
    return (result.affected ?? 0) > 0;
  }
}
