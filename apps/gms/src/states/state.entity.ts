import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A step of a service (spec §3.10). JSON members are stored as JSON text (ARCHITECTURE §7). */
@Entity({ name: 'states' })
export class StateEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenant!: string;

  @PrimaryColumn({ name: 'service_id', type: 'varchar', length: 80 })
  serviceId!: string;

  @PrimaryColumn({ name: 'state_id', type: 'int' })
  stateId!: number;

  /** JSON text of the business-attribute value (number or string). */
  @Column({ name: 'state_type', type: 'text', nullable: true })
  stateType!: string | null;

  @Column({ name: 'est_duration', type: 'bigint', nullable: true })
  estDuration!: string | number | null;

  /** JSON text of the start event (common fields and `previous_state_id`). */
  @Column({ type: 'text' })
  started!: string;

  @Column({ name: 'started_at', type: 'bigint' })
  startedAt!: string | number;

  @Column({ type: 'text', nullable: true })
  completed!: string | null;

  @Column({ name: 'completed_at', type: 'bigint', nullable: true })
  completedAt!: string | number | null;

  @Column({ type: 'text', nullable: true })
  disposition!: string | null;

  @Column({ name: 'disposition_desc', type: 'varchar', length: 64, nullable: true })
  dispositionDesc!: string | null;

  /** JSON text of `{ name: value }`. */
  @Column({ type: 'text' })
  extensions!: string;
}
