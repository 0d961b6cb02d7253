import { ApiError } from '@cs/platform/core';

/** Spec §2.5: a caller-chosen service id (with GMS_ALLOW_CUSTOM_IDS=true). */
export const CUSTOM_SERVICE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The `service_id` of a Start Service body when custom ids are allowed and one is given; undefined
 * otherwise (with the option off a body `service_id` is ignored). A number is taken in its string form
 * (spec §2.11). Anything not matching CUSTOM_SERVICE_ID → 400 INVALID_VALUE.
 */
export function customServiceId(body: Record<string, unknown>, allowed: boolean): string | undefined {
  if (!allowed || !Object.prototype.hasOwnProperty.call(body, 'service_id')) return undefined;
  const raw = body.service_id;
  if (raw === undefined) return undefined;
  const value = typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : raw;
  if (typeof value !== 'string' || !CUSTOM_SERVICE_ID.test(value)) {
    throw new ApiError(
      400,
      'INVALID_VALUE',
      "Invalid value for 'service_id': must be 1 to 64 letters, digits or . _ : -",
    );
  }
  return value;
}

/** 409 for a custom id that exists in the tenant (spec §2.9, §2.10). */
export const serviceAlreadyExists = (serviceId: string): ApiError =>
  new ApiError(409, 'SERVICE_ALREADY_EXISTS', `Service '${serviceId}' already exists`);

/**
 * True when `error` is a unique-key violation from MySQL/MariaDB (mysql2: ER_DUP_ENTRY) or SQLite
 * (better-sqlite3: SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY), whether raw or wrapped by TypeORM's
 * QueryFailedError. With `index`, the violated index must be that one (MySQL names it; SQLite names
 * the columns, so `columns` is checked there instead).
 */
export function isDuplicateKeyError(
  error: unknown,
  target?: { index: string; table: string; columns: readonly string[] },
): boolean {
  const candidates = [error, (error as { driverError?: unknown } | null)?.driverError];
  for (const candidate of candidates) {
    if (typeof candidate !== 'object' || candidate === null) continue;
    const { code, message } = candidate as { code?: unknown; message?: unknown };
    const text = typeof message === 'string' ? message : '';
    if (code === 'ER_DUP_ENTRY') return !target || text.includes(target.index);
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      if (!target) return true;
      const columns = target.columns.map((column) => `${target.table}.${column}`).join(', ');
      return text.includes(columns);
    }
  }
  return false;
}

/** The unique index of (tenant, service_id) created by the services migration. */
export const SERVICE_ID_INDEX = {
  index: 'uq_services_tenant_id',
  table: 'services',
  columns: ['tenant', 'service_id'],
} as const;
