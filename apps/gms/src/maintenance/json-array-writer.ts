import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * Writes a JSON array to a stream one element at a time, waiting for 'drain' when the stream's buffer
 * is full (backpressure), so a large export never sits in memory.
 */
export class JsonArrayWriter {
  private count = 0;

  constructor(private readonly out: Writable) {}

  get written(): number {
    return this.count;
  }

  async open(): Promise<void> {
    await this.write('[');
  }

  async add(value: unknown): Promise<void> {
    await this.write((this.count++ === 0 ? '' : ',') + JSON.stringify(value));
  }

  async close(): Promise<void> {
    await this.write(']');
  }

  /** Resolves once the chunk is accepted or the buffer drained; rejects when the stream ends early. */
  async write(chunk: string): Promise<void> {
    if (this.out.destroyed || this.out.writableEnded) throw new StreamClosedError();
    if (this.out.write(chunk)) return;
    await drained(this.out);
  }
}

/** Waits for 'drain'; rejects with StreamClosedError when the stream closes first. */
export async function drained(out: Writable): Promise<void> {
  const cancel = new AbortController();
  try {
    await Promise.race([
      once(out, 'drain', { signal: cancel.signal }),
      once(out, 'close', { signal: cancel.signal }).then(() => {
        throw new StreamClosedError();
      }),
    ]);
  } finally {
    cancel.abort();
  }
}

/** The reader went away (client disconnected, file closed): stop producing. */
export class StreamClosedError extends Error {
  constructor() {
    super('the output stream closed before the export finished');
    this.name = 'StreamClosedError';
  }
}
