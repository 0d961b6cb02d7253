import { ApiError, parseDateTime } from '@cs/platform/core';

/** The five purge operations of spec §4.25 and which services each one removes. */
export const PURGE_OPERATIONS = {
  'purge.service.all': { status: 'any', anonymousOnly: false },
  'purge.service.started': { status: 'active', anonymousOnly: false },
  'purge.service.started.anonymous': { status: 'active', anonymousOnly: true },
  'purge.service.completed': { status: 'completed', anonymousOnly: false },
  'purge.service.completed.anonymous': { status: 'completed', anonymousOnly: true },
} as const;

export type PurgeOperation = keyof typeof PURGE_OPERATIONS;

export interface PurgeCriteria {
  /** Services started strictly before this instant (epoch ms) are candidates. */
  limit: number;
  status: 'any' | 'active' | 'completed';
  anonymousOnly: boolean;
}

/**
 * Reads `{limit, operation}` from the JSON body, or from query parameters when the body does not
 * carry them (spec §4.25, §5 item 43: body wins).
 */
export function parsePurgeRequest(body: unknown, query: Record<string, unknown>): PurgeCriteria {
  const fromBody = body !== undefined && body !== null && !isEmptyObject(body);
  if (fromBody && (typeof body !== 'object' || Array.isArray(body))) {
    throw new ApiError(400, 'MALFORMED_JSON', 'Invalid JSON body: expected a JSON object');
  }
  const source = fromBody ? (body as Record<string, unknown>) : query;
  const missing = fromBody ? missingField : missingParameter;
  const invalid = fromBody ? invalidField : ApiError.invalidParameter;

  const rawLimit = source.limit;
  const rawOperation = source.operation;
  if (rawLimit === undefined || rawLimit === '') throw missing('limit');
  if (rawOperation === undefined || rawOperation === '') throw missing('operation');
  const limit = typeof rawLimit === 'string' ? parseDateTime(rawLimit) : undefined;
  if (limit === undefined) {
    throw invalid('limit', 'must be a date-time such as 2023-01-01T00:00:00.000Z');
  }
  if (typeof rawOperation !== 'string' || !Object.hasOwn(PURGE_OPERATIONS, rawOperation)) {
    throw invalid('operation', `must be one of ${Object.keys(PURGE_OPERATIONS).join(', ')}`);
  }
  return { limit, ...PURGE_OPERATIONS[rawOperation as PurgeOperation] };
}

function isEmptyObject(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0
  );
}

const missingField = (name: string) =>
  new ApiError(400, 'MISSING_FIELD', `Missing mandatory field '${name}'`);
const invalidField = (name: string, reason: string) =>
  new ApiError(400, 'INVALID_VALUE', `Invalid value for '${name}': ${reason}`);
export const missingParameter = (name: string) =>
  new ApiError(400, 'MISSING_PARAMETER', `Missing mandatory query parameter '${name}'`);
