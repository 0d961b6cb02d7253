import { randomUUID } from 'node:crypto';
import { send, type FuzzRequest } from './http';
import { encodeSegment } from './json-text';
import type { LogicalRequest } from './arbitraries';
import type { Pool } from './routes';

export const BASE = '/genesys/1/cs';

/** Ids that exist, by pool; requests draw from them so that most reach the code behind the lookup. */
export type Seeds = Record<Pool, string[]>;

export function emptySeeds(): Seeds {
  return {
    service: [],
    activeService: [],
    customer: [],
    contactKey: [],
    profile: [],
    extension: ['Devices', 'Loyalty', 'devices'],
    key: ['idPhone', 'idSerial'],
    interaction: [],
    stateId: ['3', '1', '2'],
    taskId: ['3', '1', '2'],
    extName: ['service_type', 'customer_id', 'started', 'ttl', 'Notes', 'Ext1', 'Menu'],
  };
}

/** How many of the newest ids of a pool requests draw from (older ones may be gone). */
const KEEP = 12;

function add(seeds: Seeds, pool: Pool, id: string): void {
  seeds[pool].push(id);
  if (seeds[pool].length > KEEP) seeds[pool].shift();
}

async function call(url: string, method: string, path: string, body?: unknown) {
  const req: FuzzRequest = {
    route: 'seed',
    method,
    target: `${BASE}${path}`,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  };
  const res = await send(url, req);
  if (res.status >= 300) throw new Error(`seed ${method} ${path} → ${res.status} ${res.text}`);
  return res.text ? (JSON.parse(res.text) as Record<string, unknown>) : {};
}

/** The schema every profile request refers to: two extensions and two identification keys (maintenance mode). */
export async function seedSchema(url: string): Promise<void> {
  await call(url, 'POST', '/server/mode', { mode: 'maintenance' });
  await call(url, 'POST', '/metadata/profiles/extensions', {
    name: 'Devices',
    type: 'multi-valued',
    unique: ['serial'],
    attributes: [
      { name: 'serial', type: 'string', length: 32, mandatory: true },
      { name: 'model', type: 'string', length: 64 },
    ],
  });
  await call(url, 'POST', '/metadata/profiles/extensions', {
    name: 'Loyalty',
    type: 'single-valued',
    attributes: [
      { name: 'tier', type: 'string', length: 16 },
      { name: 'points', type: 'integer' },
    ],
  });
  await call(url, 'POST', '/metadata/identification-keys', { name: 'idPhone', attributes: ['PhoneNumber'] });
  await call(url, 'POST', '/metadata/identification-keys', {
    name: 'idSerial',
    source: 'Devices',
    attributes: ['serial'],
  });
  await call(url, 'POST', '/server/mode', { mode: 'production' });
}

/**
 * Fresh data for the next batch (the previous one may have ended, merged or deleted what it found):
 * an anonymous and an identified service with states and tasks, one ended service, two profiles.
 * (about 20 requests: small next to a batch)
 */
export async function seedData(url: string, seeds: Seeds, withProfiles: boolean): Promise<void> {
  const tag = randomUUID().slice(0, 8);
  const contactKey = `ck-${tag}`;
  // Profiles only in production mode (maintenance refuses data writes, ucs spec §2.9).
  const profiles: string[] = [];
  for (const n of withProfiles ? [1, 2] : []) {
    const created = await call(url, 'POST', '/profiles', {
      FirstName: `Fuzz${n}`,
      PhoneNumber: `+3315555${tag.slice(0, 4)}${n}`,
      EmailAddress: [`f${n}-${tag}@x.org`],
      Devices: [{ serial: `SN-${tag}-${n}`, model: 'X100' }],
      Loyalty: { tier: 'gold', points: n },
    });
    profiles.push(created.customer_id as string);
  }
  // The identified service belongs to a profile, so that ucs records its interaction for the customer.
  const customer = profiles[0] ?? `cust-${tag}`;
  const start = async (body: Record<string, unknown>) =>
    (await call(url, 'POST', '/services/start', body)).service_id as string;
  const anonymous = await start({ contact_key: contactKey, interaction_id: `ixn-${tag}-a`, Menu: { a: 1 } });
  const identified = await start({
    customer_id: customer,
    interaction_id: `ixn-${tag}-i`,
    service_type: 'Sales',
  });
  const ended = await start({ contact_key: contactKey });
  for (const id of [anonymous, identified]) {
    await call(url, 'POST', `/services/${id}/states/start`, { state_type: 'Queued', Notes: 'x' });
    await call(url, 'POST', `/services/${id}/states/transition`, {
      from: { state_id: 1 },
      to: { state_type: 'Talk' },
    });
    await call(url, 'POST', `/services/${id}/tasks/start`, { task_type: 'Call', state_id: 2 });
    await call(url, 'POST', `/services/${id}/tasks/start`, { task_type: 'Wrap' });
  }
  await call(url, 'POST', `/services/${ended}/end`, { disposition: 'done' });
  for (const id of [anonymous, identified]) {
    add(seeds, 'service', id);
    add(seeds, 'activeService', id);
  }
  add(seeds, 'service', ended);
  add(seeds, 'contactKey', contactKey);
  add(seeds, 'customer', `cust-${tag}`);
  for (const id of profiles) {
    add(seeds, 'profile', id);
    add(seeds, 'customer', id);
  }
}

/** Interactions ucs recorded for seeded services (from their service events), once they arrived. */
export async function collectInteractions(url: string, seeds: Seeds): Promise<void> {
  for (const id of seeds.service.slice(-3)) {
    const res = await send(url, {
      route: 'seed',
      method: 'GET',
      target: `${BASE}/services/${id}/interactions`,
      headers: {},
    });
    if (res.status !== 200) continue;
    const list = JSON.parse(res.text) as unknown;
    const items = Array.isArray(list) ? list : [];
    for (const item of items as Record<string, unknown>[]) {
      const interactionId = item.interaction_id ?? item.id;
      if (typeof interactionId === 'string' && !seeds.interaction.includes(interactionId))
        add(seeds, 'interaction', interactionId);
    }
  }
}

/** The request as it goes on the wire: seeded ids resolved, the path spelled as the request says. */
export function materialize(req: LogicalRequest, seeds: Seeds): FuzzRequest {
  let path = req.route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = req.params[name];
    if (value === undefined) return 'missing';
    if ('raw' in value) return value.raw;
    const pool = seeds[value.pool];
    return pool.length === 0 ? 'none' : encodeSegment(pool[pool.length - 1 - (value.index % pool.length)]);
  });
  if (req.spelling === 'trailing-slash') path += '/';
  if (req.spelling === 'double-slash') path = path.replace('/', '//');
  if (req.spelling === 'upper-case') path = path.toUpperCase();
  return {
    route: req.route.id,
    method: req.method,
    target: `${BASE}${path}${req.query ? `?${req.query}` : ''}`,
    headers: req.headers,
    body: req.body,
  };
}
