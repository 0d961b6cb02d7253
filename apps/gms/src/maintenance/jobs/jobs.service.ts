import { ApiError, GMS_NOT_FOUND_EXCEPTION } from '@cs/platform/core';
import { Injectable } from '@nestjs/common';
import type { FilesRequest } from '../export-request';
import type { PurgeCriteria } from '../purge-request';
import type { JobParameters } from './job-parameters';
import { JobRunner } from './job-runner';
import { JobStore } from './job-store';
import { toJobView, type JobView } from './job-view';

const jobNotFound = (jobId: string) =>
  new ApiError(404, 'JOB_NOT_FOUND', `There is no maintenance job ${jobId}`, GMS_NOT_FOUND_EXCEPTION);

/** The API side of maintenance jobs: submit, read and cancel the tenant's own jobs. */
@Injectable()
export class JobsService {
  constructor(
    private readonly store: JobStore,
    private readonly runner: JobRunner,
  ) {}

  submitPurge(tenant: string, group: string | undefined, criteria: PurgeCriteria): Promise<JobView> {
    return this.submit(tenant, group, { kind: 'purge', criteria });
  }

  submitExport(tenant: string, group: string | undefined, request: FilesRequest): Promise<JobView> {
    return this.submit(tenant, group, { kind: 'export', request });
  }

  async get(tenant: string, jobId: string): Promise<JobView> {
    const job = await this.store.find(tenant, jobId);
    if (!job) throw jobNotFound(jobId);
    return toJobView(job);
  }

  async list(tenant: string): Promise<JobView[]> {
    const now = Date.now();
    return (await this.store.list(tenant)).map((job) => toJobView(job, now));
  }

  /** Cancels a queued or running job; a finished one is left as it is. Either way, its view. */
  async cancel(tenant: string, jobId: string): Promise<JobView> {
    await this.store.cancel(tenant, jobId);
    return this.get(tenant, jobId);
  }

  private async submit(
    tenant: string,
    group: string | undefined,
    parameters: JobParameters,
  ): Promise<JobView> {
    const job = await this.store.create(tenant, group, parameters.kind, parameters);
    this.runner.nudge();
    return toJobView(job);
  }
}
