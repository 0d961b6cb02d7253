import { isDatabaseUnavailable, SERVICE_CONFIG, type ServiceConfig } from '@cs/platform';
import { ApiError } from '@cs/platform/core';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { GMS_OPTIONS, type GmsOptions } from '../../config/gms-options';
import { FileExportService, partialName } from '../file-export.service';
import { PurgeService } from '../purge.service';
import { ServiceGraphRepository } from '../service-graph.repository';
import type { JobEntity } from './job.entity';
import type { JobParameters } from './job-parameters';
import { JobStore, type Lease } from './job-store';

/** The job was cancelled or another runner took it over: stop without writing anything more. */
class LeaseLost extends Error {}
/** This process is shutting down: stop at the batch boundary and give the job back. */
class Stopping extends Error {}

interface Outcome {
  total: number;
  result?: object;
}

/**
 * Runs maintenance jobs (docs/decisions/0010), one at a time per process: claims a queued job or one
 * whose runner's lease expired, renews the lease while it works (a timer, and every batch), and stops
 * at the next batch boundary when the job is cancelled, the lease is lost or the process shuts down.
 * A purge resumes where the committed batches left off; an export starts over with new files.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnModuleDestroy {
  /** Who holds a lease: this process (node id, pid, random: unique across replicas and restarts). */
  readonly owner: string;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private wakePause: (() => void) | undefined;

  constructor(
    private readonly store: JobStore,
    private readonly purges: PurgeService,
    private readonly files: FileExportService,
    private readonly repository: ServiceGraphRepository,
    @Inject(GMS_OPTIONS) private readonly options: GmsOptions,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.owner = `gms${options.nodeId}-${process.pid}-${randomBytes(4).toString('hex')}`;
  }

  private get jobs() {
    return this.options.jobs;
  }

  onApplicationBootstrap(): void {
    if (this.jobs.runner) this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.wakePause?.();
    await this.running;
  }

  /** A job was just submitted: look for it now rather than at the next poll, unless busy. */
  nudge(): void {
    if (!this.jobs.runner || this.stopped || this.running) return;
    clearTimeout(this.timer);
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runAll().finally(() => {
        this.running = undefined;
        this.schedule(this.jobs.pollMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  /** Runs claimable jobs until there is none left (or shutdown). */
  private async runAll(): Promise<void> {
    while (!this.stopped) {
      let job: JobEntity | null;
      try {
        job = await this.store.claim(this.owner, this.jobs.leaseMs, this.jobs.maxAttempts);
      } catch (error) {
        this.config.logger.error({ err: error }, 'maintenance job claim failed');
        return;
      }
      if (!job) return;
      if (job.status === 'failed') await this.gaveUp(job);
      else await this.run(job);
    }
  }

  private async run(job: JobEntity): Promise<void> {
    const lease: Lease = { jobId: job.jobId, owner: this.owner, leaseMs: this.jobs.leaseMs };
    const state = { lost: false };
    const log = { job_id: job.jobId, tenant: job.tenant, kind: job.kind, attempt: job.attempts };
    this.config.logger.info(log, 'maintenance job started');
    const heartbeat = setInterval(
      () => {
        this.store.progress(lease, {}).then(
          (held) => (state.lost ||= !held),
          (error: unknown) =>
            this.config.logger.warn({ ...log, err: error }, 'maintenance job heartbeat failed'),
        );
      },
      Math.max(100, Math.floor(lease.leaseMs / 3)),
    );
    heartbeat.unref();
    try {
      const parameters = JSON.parse(job.parameters) as JobParameters;
      const outcome =
        parameters.kind === 'purge'
          ? await this.purge(job, parameters.criteria, lease, state)
          : await this.export(job, parameters.request, lease, state);
      clearInterval(heartbeat);
      if (await this.store.finish(lease, 'succeeded', outcome)) {
        this.config.logger.info({ ...log, done: outcome.total }, 'maintenance job succeeded');
      } else {
        await this.lostAtTheEnd(job, outcome);
      }
    } catch (error) {
      clearInterval(heartbeat);
      if (error instanceof Stopping) {
        await this.store.release(lease).catch(() => undefined);
        this.config.logger.info(log, 'maintenance job given back (shutdown)');
      } else if (error instanceof LeaseLost) {
        this.config.logger.info(log, 'maintenance job stopped: cancelled or taken over');
      } else if (isDatabaseUnavailable(error)) {
        // Connection lost or statement deadline (decision 0009): not the job's fault, so retried
        // after a lease period (the batch in flight rolled back). If this write fails too, the
        // lease runs out after the same time. GMS_JOB_MAX_ATTEMPTS bounds the retries.
        this.config.logger.warn({ ...log, err: error }, 'maintenance job given back (database unavailable)');
        await this.store.release(lease, lease.leaseMs).catch(() => undefined);
      } else {
        this.config.logger.error({ ...log, err: error }, 'maintenance job failed');
        const message =
          error instanceof ApiError ? error.message : 'The job failed; the failure has been logged.';
        await this.store.finish(lease, 'failed', { error: message }).catch(() => undefined);
      }
    }
  }

  /** Spec §4.25 in batches of GMS_JOB_BATCH_SIZE, each its own transaction that also counts it. */
  private async purge(
    job: JobEntity,
    criteria: Extract<JobParameters, { kind: 'purge' }>['criteria'],
    lease: Lease,
    state: { lost: boolean },
  ): Promise<Outcome> {
    const group = job.groupId ?? undefined;
    const before = Number(job.done);
    // Resumed: what earlier attempts purged is gone and counted in `done`.
    const remaining = await this.repository.countPurge(job.tenant, group, criteria);
    await this.held(this.store.progress(lease, { total: before + remaining }));
    let first = true;
    const removed = await this.purges.purge(job.tenant, group, criteria, {
      size: this.jobs.batchSize,
      before: async () => {
        if (!first) await this.between(state);
        first = false;
        this.check(state);
      },
      within: (manager, deleted) => this.held(this.store.progress(lease, { add: deleted }, manager)),
    });
    return { total: before + removed };
  }

  /** Spec §4.27 into `<path>.part` files renamed when complete; a resumed export starts over. */
  private async export(
    job: JobEntity,
    request: Extract<JobParameters, { kind: 'export' }>['request'],
    lease: Lease,
    state: { lost: boolean },
  ): Promise<Outcome> {
    const group = job.groupId ?? undefined;
    await this.removeFiles(job);
    const total = await this.repository.countSelection(job.tenant, group, request.selection, Date.now());
    await this.held(this.store.progress(lease, { done: 0, total }));
    let written = 0;
    const created = await this.files.export(job.tenant, group, request, {
      pageSize: this.jobs.batchSize,
      opened: (paths) => this.held(this.store.progress(lease, { result: { writing: paths } })),
      page: async (services) => {
        written += services;
        await this.held(this.store.progress(lease, { add: services }));
        await this.between(state);
      },
    });
    return { total: written, result: { created } };
  }

  /** The files of an earlier, unfinished attempt of this export (they were never reported). */
  private async removeFiles(job: Pick<JobEntity, 'result'>): Promise<void> {
    const paths = job.result ? ((JSON.parse(job.result) as { writing?: string[] }).writing ?? []) : [];
    for (const path of paths) {
      await rm(partialName(path), { force: true });
      await rm(path, { force: true });
    }
  }

  /** The claim gave the job up (GMS_JOB_MAX_ATTEMPTS): the files of an export's last attempt go. */
  private async gaveUp(job: JobEntity): Promise<void> {
    const log = { job_id: job.jobId, tenant: job.tenant, kind: job.kind, attempts: job.attempts };
    this.config.logger.error(log, 'maintenance job given up: too many attempts');
    await this.removeFiles(job).catch((error: unknown) =>
      this.config.logger.warn({ ...log, err: error }, 'maintenance job files not removed'),
    );
  }

  /** Finished, but cancelled meanwhile: a purge stays done; an export's files are not reported, so removed. */
  private async lostAtTheEnd(job: JobEntity, outcome: Outcome): Promise<void> {
    const created = (outcome.result as { created?: string[] } | undefined)?.created;
    if (created) await this.removeFiles({ result: JSON.stringify({ writing: created }) });
    this.config.logger.info({ job_id: job.jobId }, 'maintenance job cancelled as it finished');
  }

  /** The pause between batches (GMS_JOB_BATCH_PAUSE_MS), cut short by shutdown. */
  private async between(state: { lost: boolean }): Promise<void> {
    this.check(state);
    if (this.jobs.batchPauseMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.jobs.batchPauseMs);
        this.wakePause = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakePause = undefined;
    }
    this.check(state);
  }

  private check(state: { lost: boolean }): void {
    if (state.lost) throw new LeaseLost();
    if (this.stopped) throw new Stopping();
  }

  private async held(write: Promise<boolean>): Promise<void> {
    if (!(await write)) throw new LeaseLost();
  }
}
