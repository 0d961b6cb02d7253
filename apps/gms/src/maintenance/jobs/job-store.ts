import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import { ServiceWriter } from '../../services/service-writer';
import { FINISHED_STATUSES, JobEntity, type JobKind, type JobStatus } from './job.entity';

/** Jobs a tenant lists at most (newest first). */
export const JOB_LIST_LIMIT = 100;

/** Who holds a job and until when: every write of a runner is fenced by it. */
export interface Lease {
  jobId: string;
  owner: string;
  leaseMs: number;
}

/**
 * SQL over `maintenance_jobs`. Reads and the API's writes always filter on the tenant; a runner's
 * writes are conditioned on its lease (`lease_owner` and status `running`), so a runner whose job was
 * cancelled or taken over writes nothing. On SQLite every write is queued with the request path's
 * transactions (ServiceWriter.exclusive: one shared connection).
 */
@Injectable()
export class JobStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly writer: ServiceWriter,
  ) {}

  private get repository() {
    return this.dataSource.getRepository(JobEntity);
  }

  async create(
    tenant: string,
    group: string | undefined,
    kind: JobKind,
    parameters: object,
  ): Promise<JobEntity> {
    const now = Date.now();
    const job: JobEntity = {
      jobId: randomUUID(),
      tenant,
      groupId: group ?? null,
      kind,
      parameters: JSON.stringify(parameters),
      status: 'queued',
      done: 0,
      total: null,
      attempts: 0,
      createdAt: now,
      startedAt: null,
      updatedAt: now,
      finishedAt: null,
      error: null,
      result: null,
      leaseOwner: null,
      leaseExpiresAt: null,
    };
    await this.writer.exclusive(() => this.repository.insert(job));
    return job;
  }

  find(tenant: string, jobId: string): Promise<JobEntity | null> {
    return this.repository.findOneBy({ tenant, jobId });
  }

  list(tenant: string): Promise<JobEntity[]> {
    return this.repository.find({
      where: { tenant },
      order: { createdAt: 'DESC', jobId: 'ASC' },
      take: JOB_LIST_LIMIT,
    });
  }

  /** Cancels a queued or running job of `tenant`; false when it is unknown or already finished. */
  async cancel(tenant: string, jobId: string): Promise<boolean> {
    const now = Date.now();
    const result = await this.writer.exclusive(() =>
      this.repository
        .createQueryBuilder()
        .update()
        .set({ status: 'cancelled', finishedAt: now, updatedAt: now, leaseOwner: null, leaseExpiresAt: null })
        .where('tenant = :tenant AND job_id = :jobId', { tenant, jobId })
        .andWhere('status NOT IN (:...finished)', { finished: FINISHED_STATUSES })
        .execute(),
    );
    return result.affected === 1;
  }

  /**
   * Claims the oldest job that is queued (and past its back-off) or whose runner's lease has
   * expired: a compare-and-set on the row, so of several replicas racing for it exactly one wins.
   * A job that already had `maxAttempts` runs is not run again but marked failed, and returned so.
   * Returns the claimed (or given up) job, or null.
   */
  async claim(owner: string, leaseMs: number, maxAttempts: number): Promise<JobEntity | null> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = Date.now();
      const candidate = await this.repository
        .createQueryBuilder('j')
        .where(claimable('j.'), { now })
        .orderBy('j.created_at', 'ASC')
        .limit(1)
        .getOne();
      if (!candidate) return null;
      // A crash loop (e.g. out of memory) or a database that keeps failing it ends here.
      const giveUp = candidate.attempts >= maxAttempts;
      const set: Record<string, unknown> = giveUp
        ? {
            status: 'failed',
            error: givenUp(candidate.attempts),
            finishedAt: now,
            updatedAt: now,
            leaseOwner: null,
            leaseExpiresAt: null,
          }
        : {
            status: 'running',
            leaseOwner: owner,
            leaseExpiresAt: now + leaseMs,
            updatedAt: now,
            startedAt: () => `COALESCE(started_at, ${now})`,
            attempts: () => 'attempts + 1',
          };
      const result = await this.writer.exclusive(() =>
        this.repository
          .createQueryBuilder()
          .update()
          .set(set)
          .where('job_id = :jobId', { jobId: candidate.jobId })
          .andWhere(claimable(''), { now })
          .execute(),
      );
      if (result.affected === 1) return this.repository.findOneBy({ jobId: candidate.jobId });
    }
    return null;
  }

  /**
   * Records progress under the lease and renews it: `add` services to `done` (or sets `done`), and
   * `total`/`result` when given. Pass the batch's `manager` to make it part of that transaction.
   * Returns false when the lease is lost (job cancelled or taken over): the caller must stop, and
   * inside a transaction roll it back.
   */
  async progress(
    lease: Lease,
    change: { add?: number; done?: number; total?: number; result?: object },
    manager?: EntityManager,
  ): Promise<boolean> {
    const now = Date.now();
    const set: Record<string, unknown> = { updatedAt: now, leaseExpiresAt: now + lease.leaseMs };
    if (change.add !== undefined) set.done = () => `done + ${Math.trunc(change.add as number)}`;
    if (change.done !== undefined) set.done = change.done;
    if (change.total !== undefined) set.total = change.total;
    if (change.result !== undefined) set.result = JSON.stringify(change.result);
    const update = (m: EntityManager) =>
      m
        .getRepository(JobEntity)
        .createQueryBuilder()
        .update()
        .set(set)
        .where(held(), { jobId: lease.jobId, owner: lease.owner })
        .execute();
    const result = manager
      ? await update(manager)
      : await this.writer.exclusive(() => update(this.dataSource.manager));
    return result.affected === 1;
  }

  /** Ends a job under the lease; false when the lease was lost meanwhile. */
  async finish(
    lease: Lease,
    status: Extract<JobStatus, 'succeeded' | 'failed'>,
    outcome: { total?: number; result?: object; error?: string },
  ): Promise<boolean> {
    const now = Date.now();
    const set: Record<string, unknown> = {
      status,
      finishedAt: now,
      updatedAt: now,
      leaseOwner: null,
      leaseExpiresAt: null,
    };
    if (outcome.total !== undefined) set.total = outcome.total;
    if (outcome.result !== undefined) set.result = JSON.stringify(outcome.result);
    if (outcome.error !== undefined) set.error = outcome.error;
    const result = await this.writer.exclusive(() =>
      this.repository
        .createQueryBuilder()
        .update()
        .set(set)
        .where(held(), { jobId: lease.jobId, owner: lease.owner })
        .execute(),
    );
    return result.affected === 1;
  }

  /**
   * Gives a job back: queued again. At shutdown (no `backoffMs`) another runner resumes it at once;
   * after a database failure no runner claims it for `backoffMs` (kept in `lease_expires_at`).
   */
  async release(lease: Lease, backoffMs?: number): Promise<void> {
    const now = Date.now();
    const notBefore = backoffMs === undefined ? null : now + backoffMs;
    await this.writer.exclusive(() =>
      this.repository
        .createQueryBuilder()
        .update()
        .set({ status: 'queued', leaseOwner: null, leaseExpiresAt: notBefore, updatedAt: now })
        .where(held(), { jobId: lease.jobId, owner: lease.owner })
        .execute(),
    );
  }
}

/** Queued (past its back-off, if any), or running under a lease that has expired (its runner died). */
const claimable = (alias: string) =>
  new Brackets((or) =>
    or
      .where(
        `${alias}status = 'queued' AND (${alias}lease_expires_at IS NULL OR ${alias}lease_expires_at < :now)`,
      )
      .orWhere(`${alias}status = 'running' AND ${alias}lease_expires_at < :now`),
  );

const givenUp = (attempts: number) =>
  `The job was given up after ${attempts} attempt${attempts === 1 ? '' : 's'} (GMS_JOB_MAX_ATTEMPTS): none finished it; see the gms log.`;

const held = () => "job_id = :jobId AND lease_owner = :owner AND status = 'running'";
