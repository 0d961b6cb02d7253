import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort } from './ports';

describe('freePort', () => {
  it('returns a port that can be bound', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    expect((server.address() as { port: number }).port).toBe(port);
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('freePort outside the ephemeral range', () => {
  it('never hands out a port the kernel may give an outgoing connection, nor one port twice', async () => {
    const [first] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    const ports = await Promise.all(Array.from({ length: 50 }, () => freePort()));
    expect(new Set(ports).size).toBe(50);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(first);
    }
  });

  it('skips a port that another process holds', async () => {
    const [first] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    const taken = createServer();
    let port = 20_000;
    for (; ; port++) {
      const ok = await new Promise<boolean>((resolve) => {
        taken.once('error', () => resolve(false));
        taken.listen(port, '127.0.0.1', () => resolve(true));
      });
      if (ok) break;
    }
    // The first random pick lands on the held port; freePort must move on.
    const random = jest.spyOn(Math, 'random').mockReturnValueOnce((port - 10_000 + 0.5) / (first - 10_000));
    try {
      const chosen = await freePort();
      expect(random).toHaveBeenCalledTimes(2);
      expect(chosen).not.toBe(port);
    } finally {
      random.mockRestore();
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
