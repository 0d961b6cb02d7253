import type { EventEnvelope } from '@cs/contracts';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ProcessedEventEntity } from './processed-event.entity';

@Injectable()
export class ProcessedEventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Records an event as processed; a second delivery of the same id changes nothing. */
  async remember(consumer: string, event: EventEnvelope): Promise<void> {
    await this.dataSource
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
      .updateEntity(false)
      .execute();
  }
}
