import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEvent, type EventEnvelope } from '@cs/contracts';
import { createLogger } from '../../core/logger';
import { UndeliverableEvent } from '../messaging/message-bus';
import { OutboxRelay, type RelayTransport } from './outbox-relay';
import type { OutboxBacklog, OutboxRow, RelayStore } from './outbox-store';
import { LockFileLease, SoleLease, type RelayLease } from './relay-lease';

const logger = createLogger('test', 'silent');

/** The outbox table in memory. */
class MemoryStore implements RelayStore {
  rows: (OutboxRow & { sentAt: number | null })[] = [];
  markCalls: number[][] = [];

  add(...events: EventEnvelope[]): void {
    for (const e of events) {
      const seq = this.rows.length + 1;
      this.rows.push({
        seq,
        envelope: JSON.stringify(e),
        headers: JSON.stringify({ 'x-request-id': `r${seq}` }),
        sentAt: null,
      });
    }
  }
  async unsent(limit: number): Promise<OutboxRow[]> {
    return this.rows.filter((r) => r.sentAt === null).slice(0, limit);
  }
  async markSent(seqs: number[], at: number): Promise<void> {
    this.markCalls.push(seqs);
    for (const r of this.rows) if (seqs.includes(r.seq)) r.sentAt = at;
  }
  async prune(): Promise<void> {
    // not exercised here
  }
  async backlog(): Promise<OutboxBacklog> {
    return { unsent: this.rows.filter((r) => r.sentAt === null).length };
  }
  sent(): number[] {
    return this.rows.filter((r) => r.sentAt !== null).map((r) => r.seq);
  }
}

/** A bus that records deliveries and fails the ones `failWhen` picks. */
class FakeBus implements RelayTransport {
  delivered: { id: string; headers: Record<string, string> }[] = [];
  failWhen: (e: EventEnvelope) => boolean = () => false;
  /** Deliveries that are in flight: a row may only be marked sent after its own delivery resolved. */
  acked = new Set<string>();
  constructor(readonly deliversInOrder: boolean) {}
  isReady(): boolean {
    return true;
  }
  async deliver(e: EventEnvelope, headers: Record<string, string>): Promise<void> {
    await new Promise((r) => setImmediate(r));
    if (this.failWhen(e)) throw new Error(`transport down for ${e.id}`);
    this.delivered.push({ id: e.id, headers });
    this.acked.add(e.id);
  }
}

const events = (n: number) =>
  Array.from({ length: n }, (_, i) => makeEvent('cs.test.thing.happened', '1', { i }));
const settings = { pollMs: 20, batch: 3, retentionMs: 1000, backoffMs: 5, maxBackoffMs: 40 };

describe.each([true, false])('OutboxRelay (pipelined: %s)', (inOrder) => {
  let store: MemoryStore;
  let bus: FakeBus;
  let relay: OutboxRelay;

  beforeEach(() => {
    store = new MemoryStore();
    bus = new FakeBus(inOrder);
    relay = new OutboxRelay(store, bus, new SoleLease(), settings, logger);
  });

  afterEach(() => relay.stop());

  it('delivers unsent rows oldest first in batches, with their headers, and marks them sent', async () => {
    const list = events(7);
    store.add(...list);
    expect(await relay.deliverRound()).toBe('delivered');
    expect(await relay.deliverRound()).toBe('delivered');
    expect(await relay.deliverRound()).toBe('delivered');
    expect(await relay.deliverRound()).toBe('idle');
    expect(bus.delivered.map((d) => d.id)).toEqual(list.map((e) => e.id));
    expect(bus.delivered[0].headers).toEqual({ 'x-request-id': 'r1' });
    expect(store.markCalls).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('marks only the acknowledged prefix when a delivery fails, and never lets a later row overtake it', async () => {
    const list = events(3);
    store.add(...list);
    bus.failWhen = (e) => e.id === list[1].id;
    expect(await relay.deliverRound()).toBe('failed');
    expect(store.sent()).toEqual([1]);
    bus.failWhen = () => false;
    expect(await relay.deliverRound()).toBe('delivered');
    expect(store.sent()).toEqual([1, 2, 3]);
    // Every row was marked only after its own ack.
    for (const seqs of store.markCalls)
      for (const seq of seqs)
        expect(bus.acked.has((JSON.parse(store.rows[seq - 1].envelope) as EventEnvelope).id)).toBe(true);
    // The first row once; the rows after the failure in order, without the failed one in between.
    const ids = bus.delivered.map((d) => d.id);
    expect(ids.filter((id) => id === list[0].id)).toHaveLength(1);
    expect(ids.slice(-2)).toEqual([list[1].id, list[2].id]);
  });

  it('retries in the background with capped exponential back-off until the transport takes the events', async () => {
    const list = events(2);
    store.add(...list);
    let attempts = 0;
    bus.failWhen = () => ++attempts <= 4;
    relay.start();
    await until(() => store.sent().length === 2);
    expect(attempts).toBeGreaterThan(4);
    expect(bus.delivered.map((d) => d.id)).toEqual(list.map((e) => e.id));
    expect(relay.backoffDelay(1)).toBe(5);
    expect(relay.backoffDelay(3)).toBe(20);
    expect(relay.backoffDelay(50)).toBe(40);
  });

  it('a wake-up after a commit delivers before the next poll', async () => {
    const slow = new OutboxRelay(store, bus, new SoleLease(), { ...settings, pollMs: 60_000 }, logger);
    slow.start();
    await new Promise((r) => setTimeout(r, 20)); // the first (empty) round is done: it waits for the poll
    store.add(...events(1));
    slow.wake();
    await until(() => store.sent().length === 1);
    await slow.stop();
  });
});

describe('OutboxRelay rounds', () => {
  /** Counts the relay's SELECTs of unsent rows. */
  class CountingStore extends MemoryStore {
    selects = 0;
    override async unsent(limit: number): Promise<OutboxRow[]> {
      this.selects++;
      return super.unsent(limit);
    }
  }
  let current: OutboxRelay | undefined; // stopped after each test, passed or not
  afterEach(() => current?.stop());
  /** A relay whose poll never comes during a test: only wake-ups and full batches start a round. */
  const startRelay = (store: MemoryStore, bus = new FakeBus(true)): OutboxRelay => {
    const started = new OutboxRelay(store, bus, new SoleLease(), { ...settings, pollMs: 60_000 }, logger);
    current = started;
    started.start();
    return started;
  };

  it('after a round that took the whole backlog it waits for a wake-up instead of selecting again', async () => {
    const store = new CountingStore();
    const relay = startRelay(store);
    await until(() => store.selects === 1); // the first round found nothing
    for (let n = 1; n <= 3; n++) {
      store.add(...events(2)); // fewer than a batch (3)
      relay.wake();
      await until(() => store.sent().length === 2 * n);
      await new Promise((r) => setTimeout(r, 20));
      expect(store.selects).toBe(1 + n); // one SELECT per wake-up, none after the delivery
    }
  });

  it('a full batch is followed by the next round at once, without a wake-up', async () => {
    const store = new CountingStore();
    store.add(...events(7));
    startRelay(store);
    await until(() => store.sent().length === 7); // batches of 3, 3, 1 with no poll in between
    expect(store.markCalls).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('rows committed while a round is on its way are delivered by the next round, not left for the poll', async () => {
    const store = new CountingStore();
    const bus = new FakeBus(true);
    let committed = false;
    bus.failWhen = () => {
      if (!committed) {
        committed = true; // a local commit lands while the first row is in flight
        store.add(...events(1));
        current?.wake();
      }
      return false;
    };
    store.add(...events(1));
    startRelay(store, bus);
    await until(() => store.sent().length === 2);
  });

  it('a failed SELECT does not leave wake-ups ignored: the next empty round clears the failure', async () => {
    const store = new CountingStore();
    let failing = true;
    const unsent = store.unsent.bind(store);
    store.unsent = async (limit) => {
      if (failing) {
        failing = false;
        throw new Error('connection lost');
      }
      return unsent(limit);
    };
    const relay = startRelay(store);
    await until(() => store.selects === 1); // after the failed SELECT and its back-off: an empty round
    expect((await relay.status()).failures).toBe(0);
    store.add(...events(1));
    relay.wake();
    await until(() => store.sent().length === 1);
  });
});

describe('OutboxRelay lease', () => {
  it('a standby delivers nothing until it holds the lease', async () => {
    const store = new MemoryStore();
    store.add(...events(2));
    const bus = new FakeBus(true);
    let free = false;
    const lease: RelayLease = {
      acquire: async () => free,
      held: async () => free,
      release: async () => undefined,
    };
    const relay = new OutboxRelay(store, bus, lease, { ...settings, leaseCheckMs: 10 }, logger);
    relay.start();
    await new Promise((r) => setTimeout(r, 60));
    expect(bus.delivered).toHaveLength(0);
    expect((await relay.status()).relay).toBe('standby');
    free = true;
    await until(() => store.sent().length === 2);
    expect((await relay.status()).relay).toBe('active');
    await relay.stop();
  });
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('LockFileLease (SQLite)', () => {
  it('lets one holder at a time take the lease, hands it over on release, and takes over from a dead process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cs-lease-'));
    const path = join(dir, 'db.sqlite.outbox-relay.lock');
    const a = new LockFileLease(path);
    const b = new LockFileLease(path);
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);
    expect(await a.held()).toBe(true);
    expect(await b.held()).toBe(false);
    await a.release();
    expect(await b.acquire()).toBe(true);
    // A lock left by a process that no longer exists.
    await writeFile(path, '2147483646:gone');
    expect(await a.acquire()).toBe(true);
    expect(await b.held()).toBe(false);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('OutboxRelay and an event the transport can never carry', () => {
  it('logs it, moves past it and keeps the order of the others', async () => {
    const store = new MemoryStore();
    const list = events(3);
    store.add(...list);
    const bus = new FakeBus(false);
    const original = bus.deliver.bind(bus);
    bus.deliver = async (e, h) => {
      if (e.id === list[1].id) throw new UndeliverableEvent(e.id, 'too large');
      return original(e, h);
    };
    const relay = new OutboxRelay(store, bus, new SoleLease(), settings, logger);
    expect(await relay.deliverRound()).toBe('delivered');
    expect(store.sent()).toEqual([1, 2]);
    expect(await relay.deliverRound()).toBe('delivered');
    expect(store.sent()).toEqual([1, 2, 3]);
    expect(bus.delivered.map((d) => d.id)).toEqual([list[0].id, list[2].id]);
    expect((await relay.status()).dropped).toBe(1);
  });
});
