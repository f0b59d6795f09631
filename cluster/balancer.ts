// Client-side balancing over a master's live workers (RPC middlewares): round-robin, with
// the list refreshed from the master periodically and whenever a worker fails, and a
// failed worker skipped until the next refresh says it is alive again.
import { isAborted, onAbort, type Abortable } from '../core/abortable.ts'
import { UnavailableError } from '../core/errors.ts'

export interface BalancerOptions {
  /** Fetches the live worker addresses from the master. */
  fetch: () => Promise<string[]>
  refreshMs?: number
  onError?: (err: unknown) => void
}

export class Balancer {
  private addresses: string[] = []
  private readonly suspect = new Set<string>()
  private next = 0
  private refreshing: Promise<void> | undefined
  private readonly timer: NodeJS.Timeout

  constructor(private readonly opts: BalancerOptions) {
    this.timer = setInterval(() => void this.refresh(), opts.refreshMs ?? 1000)
    this.timer.unref()
  }

  /** Loads the first list; resolves to the number of workers found. */
  async start(): Promise<number> {
    await this.refresh()
    return this.addresses.length
  }

  refresh(): Promise<void> {
    this.refreshing ??= this.opts
      .fetch()
      .then((list) => {
        this.addresses = list
        // A worker the master still lists after a failure gets another chance.
        for (const a of [...this.suspect]) if (!list.includes(a)) this.suspect.delete(a)
      })
      .catch((err) => this.opts.onError?.(err))
      .finally(() => (this.refreshing = undefined))
    return this.refreshing
  }

  /** The next worker to use; throws UnavailableError when none is live. */
  pick(): string {
    const healthy = this.addresses.filter((a) => !this.suspect.has(a))
    const pool = healthy.length > 0 ? healthy : this.addresses
    if (pool.length === 0) throw new UnavailableError('no live workers')
    return pool[this.next++ % pool.length]
  }

  /** Reports a connection failure on `address`: skip it and re-ask the master. */
  fail(address: string): void {
    this.suspect.add(address)
    void this.refresh()
  }

  get size(): number {
    return this.addresses.length
  }

  close(): void {
    clearInterval(this.timer)
  }
}

/**
 * Runs `attempt` on balanced workers, moving to another one after a connection-level
 * failure (UnavailableError) until `abort` does (a call's context: no AbortController per
 * call). Other errors are final.
 */
export async function withFailover<T>(b: Balancer, abort: Abortable, attempt: (address: string) => Promise<T>): Promise<T> {
  let backoff = 5
  const pause = async () => {
    // Every known worker just failed (or none is listed): wait for the master to evict
    // the dead or register new ones instead of spinning on instant connection refusals.
    await waitOrAbort(backoff, abort) // an abort ends the wait; the loop then throws its reason
    backoff = Math.min(backoff * 2, 250)
    await b.refresh()
  }
  const failedSinceRefresh = new Set<string>()
  for (;;) {
    if (isAborted(abort)) return abandoned(abort)
    let address: string
    try {
      address = b.pick()
    } catch {
      await pause()
      continue
    }
    if (isAborted(abort)) return abandoned(abort)
    if (failedSinceRefresh.has(address)) {
      failedSinceRefresh.clear()
      await pause()
      if (isAborted(abort)) return abandoned(abort)
      continue
    }
    try {
      return await attempt(address)
    } catch (err) {
      if (!(err instanceof UnavailableError)) throw err
      failedSinceRefresh.add(address)
      b.fail(address)
    }
  }
}

/** Rejects with the reason of an abort that has happened. */
function abandoned(abort: Abortable): Promise<never> {
  return new Promise((_, reject) => onAbort(abort, reject))
}

/** Resolves after `ms`, or as soon as `abort` aborts. */
function waitOrAbort(ms: number, abort: Abortable): Promise<void> {
  if (isAborted(abort)) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    const forget = onAbort(abort, done)
    function done() {
      clearTimeout(timer)
      forget()
      resolve()
    }
  })
}
