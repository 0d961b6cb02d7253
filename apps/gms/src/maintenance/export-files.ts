import { formatDateTime } from '@cs/platform/core';
import type { ServiceEntity } from '../services/service.entity';
import type { StateEntity } from '../states/state.entity';
import type { TaskEntity } from '../tasks/task.entity';
import { csvRow } from './csv';

/** The three files of spec §4.27, in the order of the `created` list. */
export const EXPORT_KINDS = ['services', 'states', 'tasks'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** CSV columns of spec §4.27, exactly. */
export const CSV_COLUMNS: Record<ExportKind, readonly string[]> = {
  services: [
    'service_id',
    'service_type',
    'customer_id',
    'contact_key',
    'est_duration',
    'started_timestamp',
    'completed_timestamp',
    'duration',
    'disposition',
    'disposition_desc',
    'started',
    'completed',
    'extensions',
  ],
  states: [
    'service_id',
    'state_id',
    'state_type',
    'est_duration',
    'started_timestamp',
    'completed_timestamp',
    'duration',
    'disposition',
    'disposition_desc',
    'started',
    'completed',
    'extensions',
  ],
  tasks: [
    'service_id',
    'task_id',
    'state_id',
    'task_type',
    'est_duration',
    'started_timestamp',
    'completed_timestamp',
    'duration',
    'disposition',
    'disposition_desc',
    'started',
    'completed',
    'extensions',
  ],
};

/** `export<yyyyMMdd_HHmmss_SSS>` in UTC, e.g. `export20140813_160508_183`. */
export function exportBaseName(at: Date): string {
  const p = (n: number, width = 2) => String(n).padStart(width, '0');
  return (
    `export${at.getUTCFullYear()}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}` +
    `_${p(at.getUTCHours())}${p(at.getUTCMinutes())}${p(at.getUTCSeconds())}_${p(at.getUTCMilliseconds(), 3)}`
  );
}

type EventRow = Pick<
  StateEntity,
  | 'estDuration'
  | 'started'
  | 'startedAt'
  | 'completed'
  | 'completedAt'
  | 'disposition'
  | 'dispositionDesc'
  | 'extensions'
>;

/** JSON text columns hold the stored JSON; business-attribute values are written as their plain value. */
function lifecycle(row: EventRow): unknown[] {
  return [
    row.estDuration === null ? null : Number(row.estDuration),
    formatDateTime(Number(row.startedAt)),
    row.completedAt === null ? null : formatDateTime(Number(row.completedAt)),
    row.completedAt === null ? null : Number(row.completedAt) - Number(row.startedAt),
    plain(row.disposition),
    row.dispositionDesc,
    row.started,
    row.completed,
    row.extensions,
  ];
}

const plain = (json: string | null): unknown => (json === null ? null : JSON.parse(json));

export const csvHeader = (kind: ExportKind): string => csvRow(CSV_COLUMNS[kind]);

export function serviceCsv(row: ServiceEntity): string {
  return csvRow([row.serviceId, plain(row.serviceType), row.customerId, row.contactKey, ...lifecycle(row)]);
}

export function stateCsv(row: StateEntity): string {
  return csvRow([row.serviceId, row.stateId, plain(row.stateType), ...lifecycle(row)]);
}

export function taskCsv(row: TaskEntity): string {
  return csvRow([row.serviceId, row.taskId, row.stateId, plain(row.taskType), ...lifecycle(row)]);
}
