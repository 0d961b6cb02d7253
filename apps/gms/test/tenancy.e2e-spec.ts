/**
 * Tenant isolation, spec §1.6 and Appendix A item 10 (every operation is tenant-scoped) with the
 * ARCHITECTURE §5 tenancy rules: with CS_TENANTS unset any ContactCenterId is its own partition.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { testBackends } from '@cs/testing';
import { startGms, type StartedGms } from './start-gms';
import {
  BASE,
  NOT_FOUND_EXCEPTION,
  client,
  expectError,
  type Headers,
  type Json,
} from './maintenance-support';

describe.each(testBackends().map((b) => [b.name, b] as const))('gms tenant isolation (%s)', (_, backend) => {
  let gms: StartedGms;
  const api = client(() => gms.url);
  const tenantA: Headers = { ContactCenterId: '101' };
  const tenantB: Headers = { ContactCenterId: '202' };
  const CUSTOMER = 'CUST-TENANCY';
  const CONTACT = '+33100200300';
  let identified: string;
  let anonymous: string;

  beforeAll(async () => {
    gms = await startGms(backend, { GMS_EXPORT_DIR: mkdtempSync(join(tmpdir(), 'gms-tenancy-')) });
    identified = await api.start(
      { customer_id: CUSTOMER, timestamp: '2024-03-04T09:00:00.000Z', Owner: 'A' },
      tenantA,
    );
    anonymous = await api.start({ contact_key: CONTACT, timestamp: '2024-03-04T09:01:00.000Z' }, tenantA);
    await api.startState(identified, {}, tenantA);
    await api.startTask(identified, { state_id: 1 }, tenantA);
  });

  afterAll(async () => {
    await gms?.close();
  });

  const notFound = (res: Response, method: string, uri: string, id: string) =>
    expectError(res, {
      status: 400,
      code: 'SERVICE_NOT_FOUND',
      method,
      uri,
      message: `There are no service found for : ${id}`,
      exception: NOT_FOUND_EXCEPTION,
    });

  /** Tenant A's services as tenant A sees them, to prove nothing changed. */
  async function expectUntouched(): Promise<void> {
    const res = await api.get(
      `/services/${identified}?extensions=*&active_states=true&active_tasks=true`,
      tenantA,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ service_id: identified, customer_id: CUSTOMER, Owner: 'A' });
    expect(res.body).not.toHaveProperty('completed');
    expect(res.body).not.toHaveProperty('Intruder');
    expect((res.body as Json).active_states).toHaveLength(1);
    expect((res.body as Json).active_tasks).toHaveLength(1);
    const anon = await api.get(`/services/${anonymous}`, tenantA);
    expect(anon.status).toBe(200);
    expect(anon.body).not.toHaveProperty('customer_id');
  }

  it('§1.6 tenant B cannot read tenant A services (nor can a request without tenant header)', async () => {
    notFound(
      await api.get(`/services/${identified}`, tenantB),
      'GET',
      `${BASE}/services/${identified}`,
      identified,
    );
    notFound(await api.get(`/services/${anonymous}`, {}), 'GET', `${BASE}/services/${anonymous}`, anonymous);
    notFound(
      await api.get(`/services/${identified}`, { 'X-Genesys-TenantId': '202' }),
      'GET',
      `${BASE}/services/${identified}`,
      identified,
    );
    expect((await api.get(`/services/${identified}`, { 'X-Genesys-TenantId': '101' })).status).toBe(200);
  });

  it('§1.6 §4.7 §4.10 tenant B lists neither A anonymous nor A customer services', async () => {
    for (const suffix of ['', '/active', '/completed']) {
      const anon = await api.get(`/services/anonymous/${encodeURIComponent(CONTACT)}${suffix}`, tenantB);
      expect({ suffix, status: anon.status, body: anon.body }).toEqual({ suffix, status: 200, body: [] });
      const cust = await api.get(`/customers/${CUSTOMER}/services${suffix}`, tenantB);
      expect({ suffix, status: cust.status, body: cust.body }).toEqual({ suffix, status: 200, body: [] });
    }
    const own = await api.get(`/services/anonymous/${encodeURIComponent(CONTACT)}`, tenantA);
    expect((own.body as Json[]).map((s) => s.service_id)).toEqual([anonymous]);
    const ownCustomer = await api.get(`/customers/${CUSTOMER}/services`, tenantA);
    expect((ownCustomer.body as Json[]).map((s) => s.service_id)).toEqual([identified]);
  });

  it('§1.6 §4.3 §4.2 §4.4 §4.13 tenant B cannot end, associate, update or re-expire A services', async () => {
    notFound(
      await api.post(`/services/${identified}/end`, { disposition: 'Hijacked' }, tenantB),
      'POST',
      `${BASE}/services/${identified}/end`,
      identified,
    );
    notFound(
      await api.post(`/customers/CUST-B/services/${anonymous}`, {}, tenantB),
      'POST',
      `${BASE}/customers/CUST-B/services/${anonymous}`,
      anonymous,
    );
    notFound(
      await api.put(`/services/${identified}/extensions/Intruder`, { x: 1 }, tenantB),
      'PUT',
      `${BASE}/services/${identified}/extensions/Intruder`,
      identified,
    );
    notFound(
      await api.put(`/services/${identified}`, { ttl: 1 }, tenantB),
      'PUT',
      `${BASE}/services/${identified}`,
      identified,
    );
    await expectUntouched();
  });

  it('§1.6 §4.14 §4.17 §4.20 tenant B cannot reach A states and tasks', async () => {
    const statesStart = await api.post(`/services/${identified}/states/start`, {}, tenantB);
    notFound(statesStart, 'POST', `${BASE}/services/${identified}/states/start`, identified);
    const tasksStart = await api.post(`/services/${identified}/tasks/start`, {}, tenantB);
    notFound(tasksStart, 'POST', `${BASE}/services/${identified}/tasks/start`, identified);
    const states = await api.get(`/services/${identified}/states`, tenantB);
    notFound(states, 'GET', `${BASE}/services/${identified}/states`, identified);
    const tasks = await api.get(`/services/${identified}/tasks`, tenantB);
    notFound(tasks, 'GET', `${BASE}/services/${identified}/tasks`, identified);
    await expectUntouched();
  });

  it('§1.6 §4.6 tenant B cannot delete A services', async () => {
    notFound(
      await api.delete(`/services/${identified}`, tenantB),
      'DELETE',
      `${BASE}/services/${identified}`,
      identified,
    );
    await expectUntouched();
  });

  it('§1.6 §4.25 a purge by tenant B leaves tenant A data alone', async () => {
    const res = await api.post(
      '/maintenance/purge',
      { limit: '2099-01-01T00:00:00.000Z', operation: 'purge.service.all' },
      tenantB,
    );
    expect(res.status).toBe(200);
    await expectUntouched();
  });

  it('§1.6 §4.26 §4.27 tenant B exports nothing of tenant A', async () => {
    const range = `time_from=${encodeURIComponent('2024-01-01T00:00:00.000Z')}`;
    const streamB = await api.get(`/maintenance/services/stream?${range}&export_content=true`, tenantB);
    expect(streamB.status).toBe(200);
    expect(streamB.body).toEqual([]);
    const streamA = await api.get(`/maintenance/services/stream?${range}`, tenantA);
    expect(streamA.body).toEqual([identified, anonymous]);

    const filesB = await api.post(`/maintenance/services/files?${range}&format=json`, undefined, tenantB);
    expect(filesB.status).toBe(200);
    for (const path of (filesB.body as { created: string[] }).created) {
      expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual([]);
    }
  });
});
