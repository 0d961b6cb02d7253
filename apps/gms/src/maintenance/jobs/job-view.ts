import { formatDateTime } from '@cs/platform/core';
import type { JobEntity, JobKind, JobStatus } from './job.entity';
import { describeParameters, type JobParameters } from './job-parameters';

/** What GET /maintenance/jobs/{id} answers (docs/decisions/0010). */
export interface JobView {
  job_id: string;
  kind: JobKind;
  status: JobStatus;
  /** The request as the job runs it (dates resolved, defaults filled). */
  parameters: Record<string, unknown>;
  /** Services processed (purged, or written to the export files). */
  done: number;
  /** Services to process, counted when the job (re)started; null before it started. */
  total: number | null;
  /** Services per second since the job started; null before any progress. */
  rate_per_second: number | null;
  /** Seconds left at the current rate; null when unknown, 0 when finished. */
  eta_seconds: number | null;
  /** Runs so far: more than 1 when the job was resumed (restart, crashed runner). */
  attempts: number;
  created_at: string;
  started_at: string | null;
  updated_at: string;
  finished_at: string | null;
  /** The outcome of a succeeded export: `{created: [paths]}`; null otherwise. */
  result: Record<string, unknown> | null;
  error: string | null;
}

export function toJobView(job: JobEntity, now = Date.now()): JobView {
  const done = Number(job.done);
  const total = job.total === null ? null : Number(job.total);
  const started = job.startedAt === null ? null : Number(job.startedAt);
  const finished = job.finishedAt === null ? null : Number(job.finishedAt);
  const elapsedMs = started === null ? 0 : (finished ?? now) - started;
  const rate = done > 0 && elapsedMs > 0 ? round((done * 1000) / elapsedMs) : null;
  let eta: number | null = null;
  if (finished !== null) eta = 0;
  else if (rate !== null && total !== null) eta = Math.max(0, Math.ceil((total - done) / rate));
  const result =
    job.status === 'succeeded' && job.result ? (JSON.parse(job.result) as Record<string, unknown>) : null;
  return {
    job_id: job.jobId,
    kind: job.kind,
    status: job.status,
    parameters: describeParameters(JSON.parse(job.parameters) as JobParameters),
    done,
    total,
    rate_per_second: rate,
    eta_seconds: eta,
    attempts: job.attempts,
    created_at: formatDateTime(Number(job.createdAt)),
    started_at: started === null ? null : formatDateTime(started),
    updated_at: formatDateTime(Number(job.updatedAt)),
    finished_at: finished === null ? null : formatDateTime(finished),
    result,
    error: job.error,
  };
}

const round = (value: number) => Math.round(value * 100) / 100;
