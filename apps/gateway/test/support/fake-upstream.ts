import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Echo {
  upstream: string;
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A stand-in for gms or ucs: echoes what it received as JSON, and serves /health/ready and
 * /openapi.json. Paths ending in `/hang` never get an answer, `/held` wait for release(), `/garbage` gets an invalid HTTP response.
 * `chunk` events report body chunks as they arrive, so tests can prove bodies are streamed.
 */
export class FakeUpstream {
  readonly events = new EventEmitter();
  readonly received: string[] = [];
  ready = true;
  private readonly held: http.ServerResponse[] = [];
  private server!: http.Server;
  url = '';

  constructor(readonly name: 'gms' | 'ucs') {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Answers the requests held so far (paths ending in `/held`). */
  release(): void {
    for (const res of this.held.splice(0)) this.json(res, 200, { upstream: this.name, released: true });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '/';
    if (url === '/health/ready')
      return this.json(res, this.ready ? 200 : 503, { status: this.ready ? 'ok' : 'down' });
    if (url === '/openapi.json') return this.json(res, 200, this.openApi());
    this.received.push(url);
    if (url.endsWith('/hang')) return;
    if (url.endsWith('/held')) {
      this.held.push(res);
      this.events.emit('held', url);
      return;
    }
    if (url.endsWith('/garbage')) {
      req.socket.end('NOT HTTP AT ALL\r\n\r\n');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      this.events.emit('chunk', url, chunk.toString());
    });
    req.on('end', () => {
      const echo: Echo = {
        upstream: this.name,
        method: req.method ?? '',
        url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      this.json(res, url.endsWith('/missing') ? 404 : 200, echo);
    });
  }

  private json(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json', 'X-Upstream': this.name });
    res.end(JSON.stringify(body));
  }

  private openApi(): unknown {
    const resource = this.name === 'gms' ? 'services' : 'profiles';
    return {
      openapi: '3.0.0',
      info: { title: this.name, version: '1' },
      paths: {
        [`/genesys/1/cs/${resource}`]: { get: { tags: [resource] } },
        '/health/live': { get: { tags: ['health'] } },
      },
      components: {
        schemas: { [`${this.name}Schema`]: { type: 'object' }, ErrorBodyDto: { type: 'object' } },
      },
      tags: [{ name: resource }, { name: 'health' }],
    };
  }
}

/** A port nothing listens on: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
