import { Column } from 'typeorm';

/**
 * The lifecycle columns services, states and tasks share (spec §3.9–§3.11): start and end events,
 * disposition, extensions. Not a table of its own: each entity adds its keys and type. JSON members
 * are stored as JSON text (ARCHITECTURE §7).
 */
export abstract class LifecycleColumns {
  @Column({ name: 'est_duration', type: 'bigint', nullable: true })
  estDuration!: string | number | null;

  /** JSON text of the start event's common fields (spec §3.1; for a state also `previous_state_id`). */
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
