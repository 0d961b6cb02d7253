import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { EventSubjects, makeEvent } from '@cs/contracts';
import { freePort, NATS_URL, outboxPublisher, testBackends, waitFor } from '@cs/testing';

const ROOT = join(__dirname, '..', '..', '..');

interface Tail {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** `npm run events:tail -- <args>`, as its package.json script runs it. */
function runTail(args: string[], natsUrl: string): Tail {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(ROOT, 'tools', 'events-tail.ts'), ...args],
    {
      cwd: ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json'), NATS_URL: natsUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** ARCHITECTURE §6 item 4: outside subscribers read CS_EVENTS from any point in time (events:tail). */
describe('npm run events:tail', () => {
  it('exits 1 with a message when no NATS server answers', async () => {
    const tail = runTail([], `nats://127.0.0.1:${await freePort()}`);
    expect(await tail.exited).toBe(1);
    expect(tail.stderr()).toMatch(/^events:tail: /m);
  }, 30000);

  it('exits 2 with the usage on an unknown argument', async () => {
    const tail = runTail(['--since', 'yesterday'], NATS_URL);
    expect(await tail.exited).toBe(2);
    expect(tail.stderr()).toContain('usage: npm run events:tail');
  }, 30000);

  if (testBackends().some((b) => b.name === 'real')) {
    it('§6 prints a stored event as one JSON line, replayed from --from and filtered by --subject', async () => {
      const publisher = await outboxPublisher({ NATS_URL, GMS_TCP_PORT: 1, UCS_TCP_PORT: 1 }, []);
      const from = new Date(Date.now() - 1000).toISOString();
      const event = makeEvent(EventSubjects.gmsServiceStarted, '1', { service_id: `tail-${Date.now()}` });
      const other = makeEvent(EventSubjects.ucsProfileCreated, '1', { customer_id: 'tail' });
      await publisher.publish(other);
      await publisher.publish(event); // stored before the tail starts: found by --from
      await publisher.close();
      const tail = runTail(['--from', from, '--subject', 'cs.gms.>'], NATS_URL);
      try {
        await waitFor(
          async () => tail.stdout().includes(event.id),
          20000,
          () => `the event was not printed:\n${tail.stdout()}\n${tail.stderr()}`,
        );
        const lines = tail
          .stdout()
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { id: string; type: string });
        expect(lines.find((line) => line.id === event.id)).toEqual(event);
        expect(lines.every((line) => line.type.startsWith('cs.gms.'))).toBe(true);
        expect(lines.some((line) => line.id === other.id)).toBe(false);
      } finally {
        tail.child.kill('SIGTERM');
        await tail.exited;
      }
    }, 30000);
  }
});
