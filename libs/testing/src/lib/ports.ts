import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Ports handed out by this process: never twice, even to concurrent callers. */
const handedOut = new Set<number>();

/**
 * A port that was free a moment ago (for transports that need their port before they start).
 *
 * Chosen below the kernel's ephemeral range, not with `listen(0)`: a port from that range can be
 * taken as the local end of an outgoing connection (a database pool, NATS) between this check and
 * the app's own `listen`, which then fails with EADDRINUSE (seen in CI on a loaded machine).
 */
export async function freePort(): Promise<number> {
  const [low, high] = [10_000, ephemeralStart() - 1];
  for (let attempt = 0; high > low && attempt < 100; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await canListen(port)) return port;
  }
  return anyPort(); // no room below the ephemeral range: the kernel's choice
}

/** The first port the kernel uses for outgoing connections (Linux; 32768 elsewhere). */
function ephemeralStart(): number {
  try {
    const first = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
    );
    return Number.isInteger(first) && first > 0 ? first : 32_768;
  } catch {
    return 32_768;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function anyPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
