import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { expectErrorResponse } from '@cs/testing';

export const BASE = '/genesys/1/cs';
/** Spelled out from spec §2.9 rather than imported, so that a wrong constant in the app fails here. */
export const GMS_EXCEPTION =
  'com.genesyslab.gsg.services.contextservices.exceptions.ContextServicesExceptionResource';
export const NOT_FOUND_EXCEPTION = 'com.genesyslab.gsg.services.contextservices.exceptions.NotFoundException';

export type Json = Record<string, unknown>;
export type Headers = Record<string, string>;

/** A tenant of its own for each test (open tenancy: any id is its own partition, ARCHITECTURE §5). */
export const freshTenant = (): Headers => ({ ContactCenterId: `t${randomUUID().slice(0, 8)}` });

/** The unified error body with the GMS `exception` (spec §2.9, ARCHITECTURE §5). */
export function expectError(
  res: request.Response,
  expected: {
    status: number;
    code: string;
    method: string;
    uri: string;
    message?: unknown;
    exception?: string;
  },
): void {
  expectErrorResponse(res, { ...expected, exception: expected.exception ?? GMS_EXCEPTION });
}

/** A small client of the gms API for one base URL. */
export function client(url: () => string) {
  const api = {
    post: (path: string, body?: unknown, headers: Headers = {}) => {
      const req = request(url()).post(`${BASE}${path}`).set(headers);
      return body === undefined ? req : req.send(body as object);
    },
    get: (path: string, headers: Headers = {}) => request(url()).get(`${BASE}${path}`).set(headers),
    /** PUT with `value` as the JSON body, whatever JSON value it is. */
    put: (path: string, value: unknown, headers: Headers = {}) =>
      request(url())
        .put(`${BASE}${path}`)
        .set(headers)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(value)),
    delete: (path: string, headers: Headers = {}) => request(url()).delete(`${BASE}${path}`).set(headers),
    async start(body: Json, headers: Headers = {}): Promise<string> {
      const res = await api.post('/services/start', body, headers);
      expect(res.status).toBe(201);
      return (res.body as { service_id: string }).service_id;
    },
    async end(serviceId: string, body: Json = {}, headers: Headers = {}): Promise<void> {
      const res = await api.post(`/services/${serviceId}/end`, body, headers);
      expect(res.status).toBe(204);
    },
    async startState(serviceId: string, body: Json = {}, headers: Headers = {}): Promise<number> {
      const res = await api.post(`/services/${serviceId}/states/start`, body, headers);
      expect(res.status).toBe(201);
      return (res.body as { state_id: number }).state_id;
    },
    async startTask(serviceId: string, body: Json = {}, headers: Headers = {}): Promise<number> {
      const res = await api.post(`/services/${serviceId}/tasks/start`, body, headers);
      expect(res.status).toBe(201);
      return (res.body as { task_id: number }).task_id;
    },
    /** True when GET /services/{id} finds the service (200), false on the not-found 400. */
    async exists(serviceId: string, headers: Headers = {}): Promise<boolean> {
      const res = await api.get(`/services/${serviceId}`, headers);
      if (res.status === 400) expect((res.body as Json).exception).toBe(NOT_FOUND_EXCEPTION);
      else expect(res.status).toBe(200);
      return res.status === 200;
    },
  };
  return api;
}

/** Rows of the states and tasks tables that belong to these services. */
export async function countChildren(
  dataSource: DataSource,
  serviceIds: string[],
): Promise<{ states: number; tasks: number }> {
  if (serviceIds.length === 0) return { states: 0, tasks: 0 };
  const marks = serviceIds.map(() => '?').join(',');
  const count = async (table: string) =>
    Number(
      (
        (await dataSource.query(
          `SELECT COUNT(*) AS n FROM ${table} WHERE service_id IN (${marks})`,
          serviceIds,
        )) as {
          n: number | string;
        }[]
      )[0].n,
    );
  return { states: await count('states'), tasks: await count('tasks') };
}

/** 2024-03-04T09:<minute>:<second>.<ms>Z: explicit event times keep every ordering deterministic. */
export const at = (minute: number, second = 0, ms = 0) =>
  new Date(Date.UTC(2024, 2, 4, 9, minute, second, ms)).toISOString();

export interface BulkService {
  serviceId: string;
  tenant: string;
  startedAt: number;
  completedAt?: number;
  customerId?: string;
  contactKey?: string;
  extensions?: Json;
  expiresAt?: number;
  autoCompleteAt?: number;
  groupId?: string;
}

/**
 * Inserts many services straight into the table, in creation order, shaped as Start Service stores
 * them (for volumes that would take minutes through HTTP; each test still reads them through the API).
 */
export async function insertServices(dataSource: DataSource, services: BulkService[]): Promise<void> {
  const now = Date.now();
  const columns = [
    'tenant',
    'group_id',
    'service_id',
    'customer_id',
    'contact_key',
    'started',
    'started_at',
    'completed',
    'completed_at',
    'extensions',
    'expires_at',
    'expiration_explicit',
    'auto_complete_after',
    'updated_at',
    'auto_complete_at',
  ];
  const values = (s: BulkService): unknown[] => [
    s.tenant,
    s.groupId ?? null,
    s.serviceId,
    s.customerId ?? null,
    s.contactKey ?? (s.customerId ? null : 'bulk'),
    JSON.stringify({ timestamp: new Date(s.startedAt).toISOString() }),
    s.startedAt,
    s.completedAt === undefined ? null : JSON.stringify({ timestamp: new Date(s.completedAt).toISOString() }),
    s.completedAt ?? null,
    JSON.stringify(s.extensions ?? {}),
    s.expiresAt ?? now + 3600_000,
    s.expiresAt !== undefined ? 1 : 0,
    s.autoCompleteAt === undefined ? null : 1,
    now,
    s.autoCompleteAt ?? null,
  ];
  const row = `(${columns.map(() => '?').join(',')})`;
  for (let i = 0; i < services.length; i += 200) {
    const chunk = services.slice(i, i + 200);
    await dataSource.query(
      `INSERT INTO services (${columns.join(',')}) VALUES ${chunk.map(() => row).join(',')}`,
      chunk.flatMap(values),
    );
  }
}

/** Inserts an active state and an active task (in that state) for each service, as Start State/Task would. */
export async function insertChildren(
  dataSource: DataSource,
  tenant: string,
  serviceIds: string[],
): Promise<void> {
  const started = JSON.stringify({ timestamp: new Date().toISOString() });
  const now = Date.now();
  for (let i = 0; i < serviceIds.length; i += 200) {
    const chunk = serviceIds.slice(i, i + 200);
    const marks = chunk.map(() => '(?,?,1,?,?,?)').join(',');
    await dataSource.query(
      `INSERT INTO states (tenant, service_id, state_id, started, started_at, extensions) VALUES ${marks}`,
      chunk.flatMap((id) => [tenant, id, started, now, '{}']),
    );
    await dataSource.query(
      `INSERT INTO tasks (tenant, service_id, task_id, started, started_at, extensions, state_id) VALUES ${chunk
        .map(() => '(?,?,1,?,?,?,1)')
        .join(',')}`,
      chunk.flatMap((id) => [tenant, id, started, now, '{}']),
    );
    await dataSource.query(
      `UPDATE services SET last_state_id = 1, last_task_id = 1 WHERE tenant = ? AND service_id IN (${chunk
        .map(() => '?')
        .join(',')})`,
      [tenant, ...chunk],
    );
  }
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF records) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) throw new Error('CSV does not end with CRLF');
  return rows;
}
