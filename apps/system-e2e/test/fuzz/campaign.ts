import fc from 'fast-check';
import { anyRequest, type LogicalRequest } from './arbitraries';
import { diff, sameFingerprint, type Databases } from './fingerprint';
import { mapConcurrent, send, type FuzzRequest, type FuzzResponse } from './http';
import { problemWith, type ServerMode } from './oracle';
import type { Route } from './routes';
import { collectInteractions, materialize, seedData, type Seeds } from './seeds';

export interface Campaign {
  url: string;
  dbs: Databases;
  seeds: Seeds;
  mode: ServerMode;
  routes: readonly Route[];
  /** Process output for a failure report. */
  tail: () => string;
}

export interface Tally {
  requests: number;
  replayed: number;
  /** Batches whose rejected requests could not be replayed as rejected-only (one was accepted the second time). */
  uncheckedBatches: number;
  /** Changes seen while rejected requests were replayed that a longer quiet spell did not repeat. */
  lateWrites: string[];
  byStatus: Record<number, number>;
  /** Route → status (and error code) → count: what the run reached. */
  byRoute: Record<string, Record<string, number>>;
  /** Where the time went, in ms. */
  ms: { seed: number; send: number; settle: number; replay: number };
}

export const newTally = (): Tally => ({
  requests: 0,
  replayed: 0,
  uncheckedBatches: 0,
  lateWrites: [],
  byStatus: {},
  byRoute: {},
  ms: { seed: 0, send: 0, settle: 0, replay: 0 },
});

const CONCURRENCY = 8;

/** Requests that must never be sent in `mode`: those that would switch the ucs server mode. */
function keepsMode(mode: ServerMode) {
  return (req: LogicalRequest) => {
    if (req.route.path !== '/server/mode' || req.body === undefined) return true;
    const text = req.body.toString('utf8');
    return !(mode === 'production' ? /maint/i : /prod/i).test(text);
  };
}

/**
 * Batches of `size` hostile requests to the campaign's routes. One request in ten is sent two to
 * four times at once (adjacent requests are in flight together): races on the same resource.
 */
export const batches = (campaign: Campaign, size: number) =>
  fc
    .array(
      fc.tuple(
        anyRequest(campaign.routes).filter(keepsMode(campaign.mode)),
        fc.oneof(
          { arbitrary: fc.constant(1), weight: 9 },
          { arbitrary: fc.integer({ min: 2, max: 4 }), weight: 1 },
        ),
      ),
      { minLength: size, maxLength: size },
    )
    .map((entries) =>
      entries.flatMap(([req, copies]) => Array.from({ length: copies }, () => req)).slice(0, size),
    );

/**
 * One batch: fresh seeds, every request sent (modest concurrency) and checked by the oracle; then,
 * once the databases are quiet, the rejected ones are sent again on their own and must leave both
 * databases exactly as they were. A request that changes a database while rejected is then found by
 * replaying them one by one.
 */
export async function runBatch(campaign: Campaign, tally: Tally, batch: LogicalRequest[]): Promise<void> {
  const { url, dbs, seeds, mode } = campaign;
  let t = Date.now();
  const lap = (phase: keyof Tally['ms']) => {
    tally.ms[phase] += Date.now() - t;
    t = Date.now();
  };
  await seedData(url, seeds, mode === 'production');
  await collectInteractions(url, seeds);
  lap('seed');
  const wire = batch.map((req) => materialize(req, seeds));
  const answers = await mapConcurrent(wire, CONCURRENCY, (req) => sendOrExplain(url, req));
  count(tally, wire, answers);
  failOnProblems(campaign, wire, answers);
  lap('send');

  const rejected = wire.filter((_, i) => answers[i].status >= 400 && answers[i].status < 500);
  // Up to three times, each after a longer quiet spell, so that a late write of the outbox relay or
  // an event consumer (retries back off for seconds) is not taken for a rejected request's.
  const changes: string[] = [];
  for (const quietMs of [200, 1000, 3000]) {
    const before = await dbs.settle(quietMs);
    lap('settle');
    const again = await mapConcurrent(rejected, CONCURRENCY, (req) => sendOrExplain(url, req));
    tally.replayed += again.length;
    failOnProblems(campaign, rejected, again);
    lap('replay');
    if (again.some((res) => res.status < 400)) {
      tally.uncheckedBatches++;
      return;
    }
    const after = await dbs.fingerprint();
    if (sameFingerprint(before, after)) return;
    changes.push(diff(before, after).join('; '));
    tally.lateWrites.push(changes[changes.length - 1]);
  }
  await findWriter(campaign, rejected, changes);
}

/** Replays the rejected requests one at a time and names the first that changes a database. */
async function findWriter(campaign: Campaign, rejected: FuzzRequest[], changes: string[]): Promise<void> {
  const { url, dbs } = campaign;
  let last = await dbs.settle();
  for (const req of rejected) {
    const res = await sendOrExplain(url, req);
    const now = await dbs.fingerprint();
    if (res.status >= 400 && !sameFingerprint(last, now)) {
      // Confirm on a quiet database: the request alone, once more.
      const start = await dbs.settle();
      const second = await sendOrExplain(url, req);
      const end = await dbs.fingerprint();
      if (second.status >= 400 && !sameFingerprint(start, end)) {
        throw new Error(
          `a rejected request changed the database (${diff(start, end).join('; ')}):\n${describe(req, second)}`,
        );
      }
      last = end;
    } else {
      last = now;
    }
  }
  throw new Error(
    `the rejected requests of a batch changed the database (${changes.join(' | ')}), but none of them alone did`,
  );
}

async function sendOrExplain(url: string, req: FuzzRequest): Promise<FuzzResponse> {
  try {
    return await send(url, req);
  } catch (error) {
    // A dropped connection or no answer is a failure of the system, not of the test.
    return { status: 599, headers: {}, text: `client error: ${(error as Error).message}` };
  }
}

function count(tally: Tally, wire: FuzzRequest[], answers: FuzzResponse[]): void {
  tally.requests += answers.length;
  answers.forEach((res, i) => {
    tally.byStatus[res.status] = (tally.byStatus[res.status] ?? 0) + 1;
    const route = (tally.byRoute[wire[i].route] ??= {});
    const key =
      res.status >= 400 ? `${res.status} ${/"code":"(\w+)"/.exec(res.text)?.[1] ?? ''}` : String(res.status);
    route[key] = (route[key] ?? 0) + 1;
  });
}

function failOnProblems(campaign: Campaign, wire: FuzzRequest[], answers: FuzzResponse[]): void {
  const failures = wire
    .map((req, i) => ({ req, res: answers[i], problem: problemWith(req, answers[i], campaign.mode) }))
    .filter((f) => f.problem !== undefined);
  if (failures.length === 0) return;
  throw new Error(
    `${failures.length} bad answer(s):\n` +
      failures
        .slice(0, 5)
        .map((f) => `* ${f.problem}\n${describe(f.req, f.res)}`)
        .join('\n') +
      `\n--- service output\n${campaign.tail()}`,
  );
}

const clip = (text: string, n = 600) =>
  text.length > n ? `${text.slice(0, n)}… (${text.length} chars)` : text;

export function describe(req: FuzzRequest, res: FuzzResponse): string {
  const body =
    req.body === undefined
      ? '(none)'
      : clip(JSON.stringify(Buffer.isBuffer(req.body) ? req.body.toString('latin1') : req.body));
  return [
    `  route   ${req.route}`,
    `  request ${req.method} ${clip(req.target, 300)}`,
    `  headers ${clip(JSON.stringify(req.headers), 300)}`,
    `  body    ${body}`,
    `  answer  ${res.status} ${clip(res.text, 400)}`,
  ].join('\n');
}
