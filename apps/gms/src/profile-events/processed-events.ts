import type { EventEnvelope } from '@cs/contracts';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { QueryResult } from 'typeorm/query-runner/QueryResult';

/** The table of migration 1764950000000: one row per (consumer, event id) gms has applied. */
const TABLE = 'processed_events';

@Injectable()
export class ProcessedEvents {
  /**
   * Records the event as processed by `consumer` in the caller's transaction. False when it already
   * was: the caller then does nothing, so a redelivery has no second effect. On MySQL a concurrent
   * second delivery waits on the key until the first commits, then gets false.
   */
  async claim(manager: EntityManager, consumer: string, event: EventEnvelope): Promise<boolean> {
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) throw new Error('ProcessedEvents.claim must run inside a transaction');
    const [sql, parameters] = manager
      .createQueryBuilder()
      .insert()
      .into(TABLE, ['consumer', 'event_id', 'tenant', 'subject', 'processed_at'])
      .values({
        consumer,
        event_id: event.id,
        tenant: event.tenant,
        subject: event.type,
        processed_at: Date.now(),
      })
      .orIgnore()
      .getQueryAndParameters();
    const result = (await runner.query(sql, parameters, true)) as QueryResult;
    return (result.affected ?? 0) > 0;
  }
}
