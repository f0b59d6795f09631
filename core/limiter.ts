// A counting semaphore: at most `limit` tasks run at once, the rest wait in FIFO order.
// Used to make one node behave as `limit` servers of a queue (NodeOptions.jobConcurrency).
export class Limiter {
  private running = 0
  private readonly waiting: (() => void)[] = []

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer')
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((r) => this.waiting.push(r))
    else this.running++
    try {
      return await task()
    } finally {
      // Hand the slot straight to the next waiter, so a burst cannot overtake the queue.
      const next = this.waiting.shift()
      if (next) next()
      else this.running--
    }
  }
}
