/**
 * At most `maxActive` tasks at a time, at most `maxWaiting` more waiting for a slot; beyond that a
 * task is refused at once, so a flood cannot pile up unbounded work behind the ones running.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly maxActive: number,
    private readonly maxWaiting: number,
  ) {}

  /** `task`'s result, once a slot was free; undefined (without running it) when the queue is full. */
  run<T>(task: () => Promise<T>): Promise<T> | undefined {
    if (this.active >= this.maxActive && this.waiting.length >= this.maxWaiting) return undefined;
    return this.acquire().then(async () => {
      try {
        return await task();
      } finally {
        this.release();
      }
    });
  }

  private acquire(): Promise<void> {
    if (this.active < this.maxActive) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiting task; `active` only drops when nobody waits.
    if (next) next();
    else this.active--;
  }
}
