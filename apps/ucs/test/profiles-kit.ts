import request from 'supertest';
import { expectErrorResponse } from '@cs/testing';
import type { StartedUcs } from './start-ucs';

export const BASE = '/genesys/1/cs';
export const PROFILES = `${BASE}/profiles`;
export const EXTENSIONS = `${BASE}/metadata/profiles/extensions`;
export const KEYS = `${BASE}/metadata/identification-keys`;
/** Spelled out (spec §2.7 example) rather than imported, so that a wrong constant in the app fails here. */
export const UCS_EXCEPTION = 'com.genesyslab.cs.ucs.ProfileException';

export type Headers = Record<string, string>;
export type Json = Record<string, unknown>;

/** The unified error body (ARCHITECTURE §5) with the UCS codes (spec §2.7); messages are not asserted verbatim. */
export function expectError(
  res: request.Response,
  status: number,
  code: string,
  method: string,
  uri: string,
): void {
  expectErrorResponse(res, { status, code, method, uri, exception: UCS_EXCEPTION });
}

/**
 * HTTP helpers for the profile suites. Schema writes need maintenance mode (spec §2.9): whether the
 * server-mode route (M1) exists is checked once, by `start()`; without it schema writes are sent as is.
 */
export class ProfilesKit {
  private modeRoute = false;

  constructor(private readonly ucs: StartedUcs) {}

  get url(): string {
    return this.ucs.url;
  }

  /** Checks once whether POST /server/mode exists (it leaves the server in production). */
  async start(): Promise<this> {
    const res = await request(this.ucs.url).post(`${BASE}/server/mode`).send({ mode: 'production' });
    this.modeRoute = res.status !== 404;
    if (this.modeRoute) expect(res.status).toBe(200);
    return this;
  }

  async mode(mode: 'maintenance' | 'production'): Promise<void> {
    if (!this.modeRoute) return;
    const res = await request(this.ucs.url).post(`${BASE}/server/mode`).send({ mode });
    expect(res.status).toBe(200);
  }

  /** Runs schema writes in maintenance mode, then returns to production. */
  async inMaintenance<T>(work: () => Promise<T>): Promise<T> {
    await this.mode('maintenance');
    try {
      return await work();
    } finally {
      await this.mode('production');
    }
  }

  post(path: string, body: unknown, headers: Headers = {}): request.Test {
    const req = request(this.ucs.url).post(path).set(headers);
    return typeof body === 'string'
      ? req.set('Content-Type', 'application/json').send(body)
      : req.send(body as object);
  }

  put(path: string, body: unknown, headers: Headers = {}): request.Test {
    const req = request(this.ucs.url).put(path).set(headers);
    return body === undefined ? req : req.send(body as object);
  }

  get(path: string, headers: Headers = {}): request.Test {
    return request(this.ucs.url).get(path).set(headers);
  }

  delete(path: string, headers: Headers = {}): request.Test {
    return request(this.ucs.url).delete(path).set(headers);
  }

  /** S2 in maintenance mode; expects 201. */
  async createExtension(body: Json, headers: Headers = {}): Promise<void> {
    const res = await this.inMaintenance(() => this.post(EXTENSIONS, body, headers));
    expect({ status: res.status, body: res.body as unknown }).toEqual({
      status: 201,
      body: { name: body.name },
    });
  }

  /** S6 in maintenance mode; expects 201. */
  async createKey(body: Json, headers: Headers = {}): Promise<void> {
    const res = await this.inMaintenance(() => this.post(KEYS, body, headers));
    expect({ status: res.status, body: res.body as unknown }).toEqual({
      status: 201,
      body: { name: body.name },
    });
  }

  /** P1; expects 201 and returns the new id. */
  async createProfile(body: Json, headers: Headers = {}): Promise<string> {
    const res = await this.post(PROFILES, body, headers);
    expect({ status: res.status, body: res.body as unknown }).toEqual({
      status: 201,
      body: { customer_id: expect.any(String) },
    });
    return (res.body as { customer_id: string }).customer_id;
  }

  async profile(id: string, extensions?: string, headers: Headers = {}): Promise<Json> {
    const res = await this.get(`${PROFILES}/${id}${extensions ? `?extensions=${extensions}` : ''}`, headers);
    expect(res.status).toBe(200);
    return res.body as Json;
  }
}

let counter = 0;
/** A value no other test uses. */
export const uniq = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
