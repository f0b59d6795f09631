// A push-to-pull bridge: producers push values, one consumer reads them as an
// AsyncIterable. Used for every middleware's subscribe(). Bounded: when the reader falls
// behind by more than `capacity`, the oldest values are dropped (a broadcast is only
// interesting while fresh) and counted in `dropped`.
export class Channel<T> implements AsyncIterable<T> {
  private readonly buf: T[] = []
  private waiter: ((r: IteratorResult<T>) => void) | undefined
  private failer: ((e: unknown) => void) | undefined
  private done = false
  private error: unknown
  private onLeave: (() => void) | undefined
  dropped = 0

  constructor(private readonly capacity = 1000) {}

  push(v: T): void {
    if (this.done) return
    if (this.waiter) {
      const w = this.waiter
      this.waiter = this.failer = undefined
      w({ value: v, done: false })
      return
    }
    this.buf.push(v)
    if (this.buf.length > this.capacity) {
      this.buf.shift()
      this.dropped++
    }
  }

  /** Ends the stream; with an error, the reader's next() rejects with it. */
  end(err?: unknown): void {
    if (this.done) return
    this.done = true
    this.error = err
    if (this.waiter) {
      const w = this.waiter
      const f = this.failer
      this.waiter = this.failer = undefined
      if (err !== undefined) {
        this.error = undefined // delivered to this waiter; later reads just see the end
        f?.(err)
      } else w({ value: undefined, done: true })
    }
  }

  get ended(): boolean {
    return this.done
  }

  /** Runs `fn` once if the reader stops early (break, return): where the source behind the channel is released. */
  whenReaderLeaves(fn: () => void): void {
    this.onLeave = fn
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.buf.length > 0) return Promise.resolve({ value: this.buf.shift() as T, done: false })
        if (this.done) {
          if (this.error !== undefined) {
            const e = this.error
            this.error = undefined
            return Promise.reject(e)
          }
          return Promise.resolve({ value: undefined, done: true })
        }
        return new Promise<IteratorResult<T>>((resolve, reject) => {
          this.waiter = resolve
          this.failer = reject
        })
      },
      return: () => {
        this.end()
        const leave = this.onLeave
        this.onLeave = undefined
        leave?.()
        return Promise.resolve({ value: undefined, done: true })
      },
    }
  }
}
