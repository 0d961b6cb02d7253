import { InteractionRecordRequest } from '@cs/contracts';
import { ApiError, formatDateTime, parseDateTime } from '@cs/platform/core';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { DEFAULT_TYPE, entityTypeOf, InteractionStatus, UNKNOWN_MEDIA } from './entity-types';
import type { ContentPart, InteractionEntity } from './interaction.entity';
import { contentPartsOf } from './interaction-view';

/** Kind-specific and user-data members kept in `details` (spec §3.7), in output order. */
const DETAIL_FIELDS = [
  'udata',
  'established_date',
  'released_date',
  'duration',
  'outcome',
  'phone_number',
  'tconnection_id',
  'from',
  'reply_to',
  'to',
  'cc',
  'sent_date',
] as const;
const DETAIL_DATES = ['established_date', 'released_date', 'sent_date'] as const;

export interface ContentInput {
  part: ContentPart;
  mimeType: string;
  content: string;
}

/** What one `ucs.interaction.record` does: the row of a first record, or the changes to an existing one. */
export interface RecordChanges {
  newRow(now: number): InteractionEntity;
  update(existing: InteractionEntity, now: number): Partial<InteractionEntity>;
  contents: ContentInput[];
}

/** Validates a request payload; every mistake is a 400 with the field named (ARCHITECTURE §6). */
export function parseRecordRequest(payload: unknown): InteractionRecordRequest {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new ApiError(400, 'INVALID_PARAMETER', 'The request must be an object');
  }
  const request = plainToInstance(InteractionRecordRequest, payload);
  const errors = validateSync(request, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw validationError(errors[0], payload as Record<string, unknown>);
  for (const name of ['start_date', 'end_date', ...DETAIL_DATES] as const) {
    const value = request[name];
    if (value !== undefined && parseDateTime(value) === undefined) {
      throw new ApiError(400, 'INVALID_PARAMETER', `'${name}' must be a date-time with Z or an offset`);
    }
  }
  for (const [key, value] of Object.entries(request.udata ?? {})) {
    if (typeof value !== 'string') {
      throw new ApiError(400, 'INVALID_PARAMETER', `'udata.${key.slice(0, 64)}' must be a string`);
    }
  }
  return request;
}

function validationError(error: ValidationError, payload: Record<string, unknown>): ApiError {
  const missing = error.value === undefined && !(error.property in payload);
  if (missing) return new ApiError(400, 'MISSING_PARAMETER', `'${error.property}' is required`);
  const reasons = Object.values(error.constraints ?? {});
  const detail = reasons.length > 0 ? reasons.join('; ') : `'${error.property}' is not valid`;
  return new ApiError(400, 'INVALID_PARAMETER', detail.slice(0, 300));
}

/** Columns the request sets, and the merged details; a field left out keeps its stored value. */
export function recordChanges(request: InteractionRecordRequest): RecordChanges {
  const date = (value: string | undefined) => (value === undefined ? undefined : parseDateTime(value));
  const given: Partial<InteractionEntity> = {
    customerId: request.customer_id,
    serviceId: request.service_id,
    status: request.status,
    entityType: request.entity_type,
    type: request.type,
    subType: request.sub_type,
    mediaType: request.media_type,
    parentId: request.parent_id,
    threadId: request.thread_id,
    externalId: request.external_id,
    ownerId: request.owner_id,
    creatorAppId: request.creator_app_id,
    startDate: date(request.start_date),
    endDate: date(request.end_date),
    timeshift: request.timeshift,
    subject: request.subject,
  };
  const columns = Object.fromEntries(
    Object.entries(given).filter(([, value]) => value !== undefined),
  ) as Partial<InteractionEntity>;
  const details: Record<string, unknown> = {};
  for (const name of DETAIL_FIELDS) {
    const value: unknown = request[name];
    if (value === undefined) continue;
    details[name] = (DETAIL_DATES as readonly string[]).includes(name)
      ? formatDateTime(parseDateTime(value as string) as number)
      : plain(value);
  }
  const contents = contentsOf(request);
  const parts = (existing: ContentPart[]) =>
    [...new Set([...existing, ...contents.map((c) => c.part)])].join(',');

  return {
    contents,
    newRow(now) {
      const mediaType = columns.mediaType ?? UNKNOWN_MEDIA;
      return {
        tenant: request.tenant,
        interactionId: request.interaction_id,
        customerId: null,
        serviceId: null,
        subType: null,
        parentId: null,
        threadId: null,
        externalId: null,
        ownerId: null,
        endDate: null,
        timeshift: null,
        subject: null,
        status: InteractionStatus.NEW,
        type: DEFAULT_TYPE,
        creatorAppId: 0,
        startDate: now,
        ...columns,
        mediaType,
        entityType: columns.entityType ?? entityTypeOf(mediaType),
        details: JSON.stringify(details),
        contentParts: parts([]),
        createdAt: now,
        updatedAt: now,
      };
    },
    update(existing, now) {
      const changes: Partial<InteractionEntity> = { ...columns, updatedAt: now };
      if (columns.mediaType !== undefined && columns.entityType === undefined) {
        changes.entityType = entityTypeOf(columns.mediaType);
      }
      if (Object.keys(details).length > 0) {
        changes.details = JSON.stringify({ ...(JSON.parse(existing.details) as object), ...details });
      }
      if (contents.length > 0) changes.contentParts = parts(contentPartsOf(existing));
      return changes;
    },
  };
}

function contentsOf(request: InteractionRecordRequest): ContentInput[] {
  const contents: ContentInput[] = [];
  if (request.plain_text !== undefined) {
    contents.push({ part: 'plain_text', mimeType: 'text/plain;charset=UTF-8', content: request.plain_text });
  }
  if (request.structured_text !== undefined) {
    contents.push({
      part: 'structured_text',
      mimeType: request.structured_text_mime_type ?? 'text/html',
      content: request.structured_text,
    });
  }
  if (request.binary_content !== undefined) {
    contents.push({
      part: 'binary_content',
      mimeType: 'application/octet-stream',
      content: request.binary_content,
    });
  }
  return contents;
}

/** Class instances (nested e-mail addresses) back to plain JSON values. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}
