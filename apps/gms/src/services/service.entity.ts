import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { LifecycleColumns } from '../events/lifecycle-columns';

/** A customer-journey service (spec §3.9); its lifecycle columns are those of states and tasks. */
@Entity({ name: 'services' })
export class ServiceEntity extends LifecycleColumns {
  /** Insertion order: breaks ties between services started at the same instant. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'varchar', length: 64 })
  tenant!: string;

  /** Business unit from the `GroupId` header (spec §1.6); null when none was sent. */
  @Column({ name: 'group_id', type: 'varchar', length: 256, nullable: true })
  groupId!: string | null;

  @Column({ name: 'service_id', type: 'varchar', length: 80 })
  serviceId!: string;

  @Column({ name: 'customer_id', type: 'varchar', length: 256, nullable: true })
  customerId!: string | null;

  @Column({ name: 'contact_key', type: 'varchar', length: 256, nullable: true })
  contactKey!: string | null;

  /** JSON text of the business-attribute value (number or string). */
  @Column({ name: 'service_type', type: 'text', nullable: true })
  serviceType!: string | null;

  @Column({ name: 'expires_at', type: 'bigint' })
  expiresAt!: string | number;

  /** True when the expiration came from `ttl`/`expiration_time` (fixed), false when from config (sliding). */
  @Column({ name: 'expiration_explicit', type: 'boolean' })
  expirationExplicit!: boolean;

  @Column({ name: 'auto_complete_after', type: 'int', nullable: true })
  autoCompleteAfter!: number | null;

  @Column({ name: 'updated_at', type: 'bigint' })
  updatedAt!: string | number;

  /** The highest `state_id` given out in this service (spec §2.5: ids are never reused). */
  @Column({ name: 'last_state_id', type: 'int', default: 0 })
  lastStateId!: number;

  @Column({ name: 'last_task_id', type: 'int', default: 0 })
  lastTaskId!: number;

  /** When the auto-complete sweep may complete this active service (spec §1.8); null when never. */
  @Column({ name: 'auto_complete_at', type: 'bigint', nullable: true })
  autoCompleteAt!: string | number | null;
}
