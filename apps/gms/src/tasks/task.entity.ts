import { Column, Entity, PrimaryColumn } from 'typeorm';
import { LifecycleColumns } from '../events/lifecycle-columns';

/** A unit of work of a service, optionally under one of its states (spec §3.11). */
@Entity({ name: 'tasks' })
export class TaskEntity extends LifecycleColumns {
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
}
