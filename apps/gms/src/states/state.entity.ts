import { Column, Entity, PrimaryColumn } from 'typeorm';
import { LifecycleColumns } from '../events/lifecycle-columns';

/** A step of a service (spec §3.10). JSON members are stored as JSON text (ARCHITECTURE §7). */
@Entity({ name: 'states' })
export class StateEntity extends LifecycleColumns {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenant!: string;

  @PrimaryColumn({ name: 'service_id', type: 'varchar', length: 80 })
  serviceId!: string;

  @PrimaryColumn({ name: 'state_id', type: 'int' })
  stateId!: number;

  /** JSON text of the business-attribute value (number or string). */
  @Column({ name: 'state_type', type: 'text', nullable: true })
  stateType!: string | null;
}
