import { formatDateTime } from '@cs/platform/core';
import type { FilesRequest } from '../export-request';
import { PURGE_OPERATIONS, type PurgeCriteria, type PurgeOperation } from '../purge-request';

/** What a job stores to run: the request as parsed when it was accepted (dates already resolved). */
export type JobParameters =
  { kind: 'purge'; criteria: PurgeCriteria } | { kind: 'export'; request: FilesRequest };

/** The parameters in the API's own terms, for the job view. */
export function describeParameters(parameters: JobParameters): Record<string, unknown> {
  if (parameters.kind === 'purge') {
    const { criteria } = parameters;
    return { operation: operationOf(criteria), limit: formatDateTime(criteria.limit) };
  }
  const { selection, format } = parameters.request;
  return {
    time_from: formatDateTime(selection.from),
    time_to: formatDateTime(selection.to),
    filter_events: selection.events,
    filter_state: selection.state,
    format,
  };
}

/** The operation name back from the criteria it parsed to (the table of spec §4.25 is one-to-one). */
function operationOf(criteria: PurgeCriteria): PurgeOperation | undefined {
  return (Object.keys(PURGE_OPERATIONS) as PurgeOperation[]).find(
    (name) =>
      PURGE_OPERATIONS[name].status === criteria.status &&
      PURGE_OPERATIONS[name].anonymousOnly === criteria.anonymousOnly,
  );
}
