import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Events a consumer has handled, by id, so that a redelivery has no second effect. */
@Entity({ name: 'processed_events' })
export class ProcessedEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  consumer!: string;

  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 64 })
  eventId!: string;

  @Column({ type: 'varchar', length: 64 })
  tenant!: string;

  @Column({ type: 'varchar', length: 128 })
  subject!: string;

  @Column({ name: 'processed_at', type: 'bigint' })
  processedAt!: string | number;
}
