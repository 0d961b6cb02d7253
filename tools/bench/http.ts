import { Agent, request as httpRequest } from 'node:http';

/** One keep-alive agent for every request of the harness (sockets are reused as a real client would). */
const agent = new Agent({ keepAlive: true, maxSockets: 2048 });

export interface Answer {
  status: number;
  body: string;
}

/** One HTTP request; a network error or a 15 s timeout rejects. */
export function send(method: string, url: string, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(
      url,
      {
        method,
        agent,
        timeout: 15000,
        headers: payload
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
          : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Like `send`, but anything other than the expected 2xx status throws with the answer. */
export async function expectStatus<T>(
  status: number,
  method: string,
  url: string,
  body?: unknown,
): Promise<T> {
  const answer = await send(method, url, body);
  if (answer.status !== status) {
    throw new Error(
      `${method} ${url} answered ${answer.status} (expected ${status}): ${answer.body.slice(0, 300)}`,
    );
  }
  return (answer.body ? JSON.parse(answer.body) : undefined) as T;
}

/** Runs `task(0..count-1)` with at most `concurrency` at a time; results in index order. */
export async function inPool<T>(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}
