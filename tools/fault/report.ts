import type { FaultOptions } from './args';
import type { StartedEventCounts } from './stream-count';

export interface ReportInput {
  runId: string;
  options: FaultOptions;
  acknowledged: { serviceId: string; interactionId: string }[];
  rejected: Map<string, number>;
  restarts: string[];
  events: StartedEventCounts;
  rows: Map<string, number>;
  logDir: string;
}

export interface Report {
  ok: boolean;
  run_id: string;
  mode: string;
  seconds: number;
  kills: number;
  acknowledged: number;
  rejected: Record<string, number>;
  events: { lost: number; duplicated: number; exactly_once: number; unacknowledged_with_event: number };
  interactions: { missing: number; duplicated: number; present: number; unacknowledged_with_row: number };
  /** Up to 20 ids of each problem, to look up in the logs. */
  samples: Record<string, string[]>;
  restarts: string[];
  log_dir: string;
}

const SAMPLE = 20;

/** Compares the acknowledged writes with the events in CS_EVENTS and the rows in ucs. */
export function buildReport(input: ReportInput): Report {
  const { acknowledged, events, rows } = input;
  const lostEvents = acknowledged.filter((a) => !events.byServiceId.has(a.serviceId));
  const duplicateEvents = acknowledged.filter((a) => (events.byServiceId.get(a.serviceId) ?? 0) > 1);
  const missingRows = acknowledged.filter((a) => !rows.has(a.interactionId));
  const duplicateRows = acknowledged.filter((a) => (rows.get(a.interactionId) ?? 0) > 1);
  const acknowledgedIds = new Set(acknowledged.map((a) => a.interactionId));
  const eventsWithoutAck = [...events.byInteractionId.keys()].filter((id) => !acknowledgedIds.has(id));
  const rowsWithoutAck = [...rows.keys()].filter((id) => !acknowledgedIds.has(id));
  const ok = lostEvents.length + duplicateEvents.length + missingRows.length + duplicateRows.length === 0;
  return {
    ok,
    run_id: input.runId,
    mode: input.options.mode,
    seconds: input.options.seconds,
    kills: input.options.kills,
    acknowledged: acknowledged.length,
    rejected: Object.fromEntries(input.rejected),
    events: {
      lost: lostEvents.length,
      duplicated: duplicateEvents.length,
      exactly_once: acknowledged.length - lostEvents.length - duplicateEvents.length,
      unacknowledged_with_event: eventsWithoutAck.length,
    },
    interactions: {
      missing: missingRows.length,
      duplicated: duplicateRows.length,
      present: acknowledged.length - missingRows.length,
      unacknowledged_with_row: rowsWithoutAck.length,
    },
    samples: {
      lost_events: lostEvents.slice(0, SAMPLE).map((a) => `${a.serviceId} ${a.interactionId}`),
      duplicated_events: duplicateEvents
        .slice(0, SAMPLE)
        .map((a) => `${a.serviceId} ×${events.byServiceId.get(a.serviceId)}`),
      missing_rows: missingRows.slice(0, SAMPLE).map((a) => `${a.interactionId} ${a.serviceId}`),
      duplicated_rows: duplicateRows.slice(0, SAMPLE).map((a) => a.interactionId),
      unacknowledged_with_event: eventsWithoutAck.slice(0, SAMPLE),
    },
    restarts: input.restarts,
    log_dir: input.logDir,
  };
}

export function printReport(report: Report): void {
  const table: [string, string | number][] = [
    ['run', `${report.run_id} (${report.mode})`],
    ['load / kills', `${report.seconds} s / ${report.kills}`],
    ['acknowledged (2xx)', report.acknowledged],
    [
      'rejected / no answer',
      Object.entries(report.rejected)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ') || 0,
    ],
    ['events: exactly once', report.events.exactly_once],
    ['events: LOST (0)', report.events.lost],
    ['events: DUPLICATED (>1)', report.events.duplicated],
    ['events for unacknowledged writes', report.events.unacknowledged_with_event],
    ['ucs interactions: present', report.interactions.present],
    ['ucs interactions: MISSING', report.interactions.missing],
    ['ucs interactions: DUPLICATED', report.interactions.duplicated],
    ['ucs rows for unacknowledged writes', report.interactions.unacknowledged_with_row],
    ['verdict', report.ok ? 'OK' : 'FAILED'],
  ];
  const width = Math.max(...table.map(([label]) => label.length));
  const lines = table.map(([label, value]) => `| ${label.padEnd(width)} | ${value} |`);
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(report, null, 2)}\n`);
}
