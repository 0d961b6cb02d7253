import { expectStatus, inPool } from './http';

const BASE = '/genesys/1/cs';
const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString()}] ${line}\n`);

/** The unique identification key the identify runs use (a unique core attribute). */
export const KEY = { name: 'idEmail', attributes: ['EmailAddress'], unique: true };
export const emailOf = (runId: string, i: number) => `p${i}.${runId}@bench.example`;

/**
 * Defines the unique key (ucs starts in maintenance mode for this), switches ucs to production, then
 * creates `count` profiles through the API directly on ucs with high concurrency: every table the app
 * keeps for a profile (identification index, unique claims, outbox) is written by the app itself.
 */
export async function loadProfiles(ucsUrl: string, runId: string, count: number): Promise<string[]> {
  await expectStatus(201, 'POST', `${ucsUrl}${BASE}/metadata/identification-keys`, KEY);
  await expectStatus(200, 'POST', `${ucsUrl}${BASE}/server/mode`, { mode: 'production' });
  const started = Date.now();
  let done = 0;
  const ids = await inPool(count, 64, async (i) => {
    const { customer_id } = await expectStatus<{ customer_id: string }>(
      201,
      'POST',
      `${ucsUrl}${BASE}/profiles`,
      {
        FirstName: `First${i}`,
        LastName: `Last${i % 1000}`,
        EmailAddress: emailOf(runId, i),
        PhoneNumber: `+1555${String(i).padStart(7, '0')}`,
      },
    );
    if (++done % 10000 === 0)
      log(`profiles: ${done} of ${count} (${Math.round(done / ((Date.now() - started) / 1000))}/s)`);
    return customer_id;
  });
  log(`profiles: ${count} loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return ids;
}

/** A few identify requests must find exactly their profile before the identify runs measure anything. */
export async function verifyIdentify(gatewayUrl: string, runId: string, ids: string[]): Promise<void> {
  for (const i of [0, Math.floor(ids.length / 2), ids.length - 1]) {
    const found = await expectStatus<{ customer_id: string }[]>(
      200,
      'GET',
      `${gatewayUrl}${BASE}/profiles?EmailAddress=${encodeURIComponent(emailOf(runId, i))}`,
    );
    if (found.length !== 1 || found[0].customer_id !== ids[i]) {
      throw new Error(`identify of profile ${i} found ${JSON.stringify(found)}, expected ${ids[i]}`);
    }
  }
}

/** Services to read: started through `url` (the gateway, or the baseline server) for one customer. */
export async function startServices(
  url: string,
  prefix: string,
  customerId: string,
  count: number,
): Promise<string[]> {
  return inPool(count, 32, async () => {
    const { service_id } = await expectStatus<{ service_id: string }>(
      201,
      'POST',
      `${url}${prefix}/services/start`,
      {
        customer_id: customerId,
      },
    );
    return service_id;
  });
}
