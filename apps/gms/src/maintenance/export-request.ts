import { ApiError, parseDateTime } from '@cs/platform/core';
import { booleanFlag } from '../services/query-flags';
import { missingParameter } from './purge-request';

export type EventFilter = 'any' | 'started' | 'completed';
export type StateFilter = 'any' | 'active' | 'inactive';
export type ExportFormat = 'csv' | 'json';

/** Which services an export takes (spec §4.26 selection table). */
export interface ExportSelection {
  /** `[from, to)` in epoch ms (spec §5 item 39). */
  from: number;
  to: number;
  events: EventFilter;
  state: StateFilter;
}

export interface StreamRequest {
  selection: ExportSelection;
  content: boolean;
}

export interface FilesRequest {
  selection: ExportSelection;
  format: ExportFormat;
}

/** `GET /maintenance/services/stream` (spec §4.26): `filter_state` only applies with content (§5 item 40). */
export function parseStreamRequest(query: Record<string, unknown>, now: number): StreamRequest {
  const selection = parseSelection(query, now);
  const content = booleanFlag(query, 'export_content');
  return { selection: content ? selection : { ...selection, state: 'any' }, content };
}

/** `POST /maintenance/services/files` (spec §4.27): content always, `filter_state` honoured. */
export function parseFilesRequest(query: Record<string, unknown>, now: number): FilesRequest {
  const selection = parseSelection(query, now);
  const format = oneOf(query, 'format', ['csv', 'json'] as const, 'csv');
  return { selection, format };
}

function parseSelection(query: Record<string, unknown>, now: number): ExportSelection {
  if (query.time_from === undefined || query.time_from === '') throw missingParameter('time_from');
  const from = dateTime(query, 'time_from');
  const to = query.time_to === undefined || query.time_to === '' ? now : dateTime(query, 'time_to');
  if (from > to) throw ApiError.invalidParameter('time_from', "must not be later than 'time_to'");
  return {
    from,
    to,
    events: oneOf(query, 'filter_events', ['any', 'started', 'completed'] as const, 'any'),
    state: oneOf(query, 'filter_state', ['any', 'active', 'inactive'] as const, 'any'),
  };
}

function dateTime(query: Record<string, unknown>, name: string): number {
  const raw = query[name];
  const value = typeof raw === 'string' ? parseDateTime(raw) : undefined;
  if (value === undefined)
    throw ApiError.invalidParameter(name, 'must be a date-time such as 2024-03-04T00:00:00.000Z');
  return value;
}

function oneOf<T extends string>(
  query: Record<string, unknown>,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = query[name];
  if (raw === undefined || raw === '') return fallback;
  const value = typeof raw === 'string' ? raw.toLowerCase() : undefined;
  if (value === undefined || !(allowed as readonly string[]).includes(value))
    throw ApiError.invalidParameter(name, `must be one of ${allowed.join(', ')}`);
  return value as T;
}
