import type { Extensions } from './extensions';

/** The columns every service, state and task shares (spec §3.9–3.11). */
export interface LifecycleRow {
  estDuration: string | number | null;
  started: string;
  startedAt: string | number;
  completed: string | null;
  completedAt: string | number | null;
  disposition: string | null;
  dispositionDesc: string | null;
}

/** Writes `est_duration`, `started`, and when completed `completed`, `duration`, disposition fields. */
export function addLifecycleFields(view: Record<string, unknown>, row: LifecycleRow): void {
  if (row.estDuration !== null) view.est_duration = Number(row.estDuration);
  view.started = JSON.parse(row.started);
  if (row.completed === null) return;
  view.completed = JSON.parse(row.completed);
  if (row.completedAt !== null) view.duration = Number(row.completedAt) - Number(row.startedAt);
  if (row.disposition !== null) view.disposition = JSON.parse(row.disposition);
  if (row.dispositionDesc !== null) view.disposition_desc = row.dispositionDesc;
}

/** Adds extensions as top-level members; they never shadow a standard field (spec §2.7). */
export function addExtensions(view: Record<string, unknown>, selected: Extensions): void {
  for (const [name, value] of Object.entries(selected)) {
    if (Object.prototype.hasOwnProperty.call(view, name)) continue;
    Object.defineProperty(view, name, { value, enumerable: true, writable: true, configurable: true });
  }
}
