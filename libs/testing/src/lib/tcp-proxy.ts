import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

export interface TcpProxyOptions {
  /** Where the proxy forwards to, e.g. MariaDB on 127.0.0.1:3306. */
  target: { host: string; port: number };
  /** Port to listen on (127.0.0.1); 0 (default) picks a free one. */
  port?: number;
  host?: string;
}

/**
 * A TCP relay a test (or an operator, tools/db-proxy) puts between a service and its database to
 * stage an outage. `pause()` is the nasty case: every connection stays open but no byte moves in
 * either direction, and new connections are accepted but held, so clients hang instead of failing.
 * `resume()` lets the held bytes and connections through, as a network that recovers would.
 */
export class TcpProxy {
  private paused = false;
  private readonly sockets = new Set<Socket>();
  /** Clients accepted while paused: connected upstream on resume. */
  private held: Socket[] = [];

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(options: TcpProxyOptions): Promise<TcpProxy> {
    const server = createServer({ pauseOnConnect: true });
    const proxy = new TcpProxy(server, options.target);
    server.on('connection', (client) => proxy.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Stops forwarding: bytes wait in the sockets, new connections wait unanswered. */
  pause(): void {
    this.paused = true;
    for (const s of this.sockets) s.pause();
  }

  /** Forwards again: what waited is delivered, held connections are connected to the target. */
  resume(): void {
    this.paused = false;
    const held = this.held;
    this.held = [];
    for (const client of held) this.forward(client);
    for (const s of this.sockets) s.resume();
  }

  /** Drops every connection at once (a database restart as clients see it); new ones still work. */
  cut(): void {
    for (const client of this.held) client.destroy();
    this.held = [];
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.cut();
    await closed;
  }

  private accept(client: Socket): void {
    client.on('error', () => undefined);
    if (this.paused) {
      this.held.push(client);
      client.once('close', () => (this.held = this.held.filter((c) => c !== client)));
      return;
    }
    this.forward(client);
  }

  private forward(client: Socket): void {
    if (client.destroyed) return;
    const upstream = connect(this.target.port, this.target.host);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.sockets.add(from);
      from.on('error', () => undefined);
      from.on('data', (chunk) => to.write(chunk));
      from.on('end', () => to.end());
      from.on('close', () => {
        this.sockets.delete(from);
        to.destroy();
      });
    }
    client.resume(); // accepted with pauseOnConnect: reads nothing until forwarded
  }
}

/** A proxy in front of the server of a `mysql://` URL, and the same URL through the proxy. */
export async function databaseBehindProxy(url: string): Promise<{ proxy: TcpProxy; url: string }> {
  const direct = new URL(url);
  const proxy = await TcpProxy.start({
    target: { host: direct.hostname, port: Number(direct.port || 3306) },
  });
  const proxied = new URL(url);
  proxied.host = `127.0.0.1:${proxy.port}`;
  return { proxy, url: proxied.toString() };
}
