import { Agent, request } from 'node:http';

/** One generated request, exactly as it goes on the wire. */
export interface FuzzRequest {
  /** Catalogue id of the route it aims at (for the report). */
  route: string;
  method: string;
  /** Raw request target: base path, encoded path, query string. */
  target: string;
  /** Header name → value; an array value is sent as repeated header lines. */
  headers: Record<string, string | string[]>;
  /** Raw body text; undefined sends no body. */
  body?: string | Buffer;
}

export interface FuzzResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A `Host` header value that means: send no Host header at all. */
export const NO_HOST = '(none)';

/** Keep-alive sockets: thousands of requests must not pay a TCP handshake each. */
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

export function send(baseUrl: string, req: FuzzRequest, timeoutMs = 15000): Promise<FuzzResponse> {
  const { hostname, port } = new URL(baseUrl);
  const body = req.body === undefined ? undefined : Buffer.from(req.body);
  // Node's client sends a GET/DELETE body without Content-Length, which would desync the
  // keep-alive connection: the length is always declared here.
  const { Host: host, ...rest } = req.headers;
  const headers: Record<string, string | string[]> = { ...rest };
  if (host !== undefined && host !== NO_HOST) headers.Host = host;
  if (body !== undefined) headers['Content-Length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        agent,
        host: hostname,
        port,
        method: req.method,
        path: req.target,
        headers,
        setHost: host !== NO_HOST,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Runs `work` over `items` with at most `limit` in flight, keeping the order of the results. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i], i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function closeAgent(): void {
  agent.destroy();
}
