import { Column, Entity, PrimaryColumn } from 'typeorm';

export type JobKind = 'purge' | 'export';
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export const FINISHED_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];

/**
 * A maintenance job (purge or export run in the background), owned by a tenant. A runner holds it
 * through a lease (`lease_owner` until `lease_expires_at`) that it renews while it works; an expired
 * lease lets another runner take the job over.
 */
@Entity({ name: 'maintenance_jobs' })
export class JobEntity {
  @PrimaryColumn({ name: 'job_id', type: 'varchar', length: 36 })
  jobId!: string;

  @Column({ type: 'varchar', length: 64 })
  tenant!: string;

  /** `GroupId` of the request that created the job: the job works on that business unit only. */
  @Column({ name: 'group_id', type: 'varchar', length: 256, nullable: true })
  groupId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  kind!: JobKind;

  /** JSON text: the parsed request (see job-parameters.ts). */
  @Column({ type: 'text' })
  parameters!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: JobStatus;

  /** Services processed so far; for a purge, updated in each batch's own transaction. */
  @Column({ type: 'bigint' })
  done!: string | number;

  /** Services to process, counted when a runner (re)starts the job; null before. */
  @Column({ type: 'bigint', nullable: true })
  total!: string | number | null;

  @Column({ type: 'int' })
  attempts!: number;

  @Column({ name: 'created_at', type: 'bigint' })
  createdAt!: string | number;

  @Column({ name: 'started_at', type: 'bigint', nullable: true })
  startedAt!: string | number | null;

  @Column({ name: 'updated_at', type: 'bigint' })
  updatedAt!: string | number;

  @Column({ name: 'finished_at', type: 'bigint', nullable: true })
  finishedAt!: string | number | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** JSON text: the outcome (export: `{created: [...]}`), or the files of an unfinished export attempt. */
  @Column({ type: 'text', nullable: true })
  result!: string | null;

  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  /** Running: when the lease ends. Queued after a database failure: the end of its back-off. */
  @Column({ name: 'lease_expires_at', type: 'bigint', nullable: true })
  leaseExpiresAt!: string | number | null;
}
