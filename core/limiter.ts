// A counting semaphore: at most `limit` holders at once, the rest wait in FIFO order.
// Makes one node behave as `limit` servers of a queue (NodeOptions.jobConcurrency) and
// bounds the messages a Kafka worker holds.
export class Limiter {
  private running = 0
  private readonly waiting: (() => void)[] = []

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer')
  }

  /** Resolves once a slot is held; every acquire needs exactly one release. */
  async acquire(): Promise<void> {
    if (this.running >= this.limit) await new Promise<void>((r) => this.waiting.push(r))
    else this.running++
  }

  release(): void {
    // Hand the slot straight to the next waiter, so a burst cannot overtake the queue.
    const next = this.waiting.shift()
    if (next) next()
    else this.running--
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire()
    try {
      return await task()
    } finally {
      this.release()
    }
  }
}
