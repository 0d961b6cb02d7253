import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A unit of work of a service, optionally under one of its states (spec §3.11). */
@Entity({ name: 'tasks' })
export class TaskEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenant!: string;

  @PrimaryColumn({ name: 'service_id', type: 'varchar', length: 80 })
  serviceId!: string;

  @PrimaryColumn({ name: 'task_id', type: 'int' })
  taskId!: number;

  /** The state the task belongs to; null when it hangs directly off the service. */
  @Column({ name: 'state_id', type: 'int', nullable: true })
  stateId!: number | null;

  /** JSON text of the business-attribute value (number or string). */
  @Column({ name: 'task_type', type: 'text', nullable: true })
  taskType!: string | null;

  @Column({ name: 'est_duration', type: 'bigint', nullable: true })
  estDuration!: string | number | null;

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
