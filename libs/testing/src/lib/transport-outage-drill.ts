import request from 'supertest';
import { testBackends, type Backend } from './backends';
import { CuttableProxy, listenAsPeer, outboxRecords, type Receiver } from './outbox';
import { freePort } from './ports';
import { waitFor } from './spawn-app';
import type { StartedApp } from './start-in-process';

/** What the transport outage drill needs to know about one app (jest-only: registers describe/it). */
export interface TransportOutageDrill<E> {
  /** e.g. 'gms': names the suite. */
  name: string;
  start(backend: Backend, overrides: Record<string, string>): Promise<StartedApp<E>>;
  /** One write through the gateway that must be acknowledged; returns the outbox aggregate of its event. */
  write(url: string): Promise<string>;
  /** Embedded mode: the peer's TCP port in the app's env, where a stand-in acknowledges once it listens. */
  peerPort(env: E): number;
}

/**
 * The transport goes away while the app runs (ARCHITECTURE §6): writes go on, their events wait in the
 * outbox, readiness reports the degraded transport and the backlog; when it returns they go out.
 * NATS mode: NATS behind a proxy that is cut; embedded mode: no peer listens until the end.
 */
export function describeTransportOutage<E>(drill: TransportOutageDrill<E>): void {
  describe.each(testBackends().map((b) => [b.name, b] as const))(
    `${drill.name} outbox without transport (%s)`,
    (_, backend) => {
      let started: StartedApp<E>;
      let proxy: CuttableProxy | undefined;
      let peer: Receiver | undefined;

      beforeAll(async () => {
        const overrides: Record<string, string> = { CS_OUTBOX_POLL_MS: '100' };
        const natsUrl = backend.env().NATS_URL;
        if (natsUrl) {
          const target = new URL(natsUrl);
          proxy = new CuttableProxy(await freePort(), {
            host: target.hostname,
            port: Number(target.port || 4222),
          });
          await proxy.open();
          overrides.NATS_URL = `nats://127.0.0.1:${proxy.port}`;
        }
        started = await drill.start(backend, overrides);
      });

      afterAll(async () => {
        await proxy?.open();
        await started?.close();
        await peer?.close();
        await proxy?.cut();
      });

      it('§6 writes answer 2xx while the transport is down; rows wait, readiness reports it; they go out when it returns', async () => {
        const readiness = () => request(started.directUrl).get('/health/ready');
        if (proxy) {
          await proxy.cut();
          await waitFor(
            async () => (await readiness()).body.transport === 'down',
            15000,
            () => 'readiness never reported the transport down',
          );
        }
        const aggregate = await drill.write(started.url);
        await new Promise((r) => setTimeout(r, 500));
        const [row] = (await outboxRecords(started.app)).filter((r) => r.aggregate === aggregate);
        expect(row.sentAt).toBeNull();
        const ready = await readiness();
        expect(ready.status).toBe(200);
        expect(ready.body).toMatchObject({
          database: 'up',
          transport: proxy ? 'down' : 'up',
          status: proxy ? 'degraded' : 'ok',
          outbox: { relay: 'active' },
        });
        expect(ready.body.outbox.unsent).toBeGreaterThanOrEqual(1);
        expect(ready.body.outbox.oldest_unsent_age_ms).toBeGreaterThanOrEqual(400);

        if (proxy) await proxy.open();
        else peer = await listenAsPeer(drill.peerPort(started.env));
        await waitFor(
          async () => (await outboxRecords(started.app)).every((r) => r.sentAt !== null),
          40000,
          () => 'the waiting rows were not delivered after the transport came back',
        );
        expect((await readiness()).body).toMatchObject({
          status: 'ok',
          transport: 'up',
          outbox: { unsent: 0, oldest_unsent_age_ms: 0 },
        });
        if (peer) expect(peer.events.map((e) => e.id)).toContain(row.envelope.id);
      }, 90000);
    },
  );
}
