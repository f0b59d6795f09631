// The calls a queue client waits on, by correlation id. A reply travels back asynchronously
// and queues deliver at least once, so a reply may find nobody waiting: its call was
// answered already (a redelivered job: a duplicate) or its caller gave up (late). The
// redis, rabbitmq and kafka clients share this bookkeeping, as does the gRPC client's
// moderate stream (grpc/moderate-stream.ts, one per stream, keyed by sequence number).
import type { CallContext } from './client.ts'
import { RecentIds } from './bounded.ts'
import { CancelledError } from './errors.ts'

export interface ReplyCounters {
  /** Replies for a call that had been answered already. */
  duplicates: number
  /** Replies for a call whose caller had stopped waiting (deadline or cancellation). */
  late: number
}

interface Waiter {
  resolve(v: unknown): void
  reject(e: unknown): void
  /** core/client.ts rejects the call once it is abandoned; the waiter is then swept. */
  ctx: CallContext
}

export interface PendingCallsOptions {
  /** answered ids remembered to tell a duplicate from a late reply */
  rememberAnswered?: number
  /** how often calls whose caller gave up are forgotten */
  sweepMs?: number
}

export class PendingCalls {
  readonly counters: ReplyCounters = { duplicates: 0, late: 0 }
  private readonly waiting = new Map<string, Waiter>()
  private readonly answered: RecentIds
  private readonly sweepMs: number
  // Abandoned calls are swept in bulk: an abort listener per call cost more than the call.
  // Started by the first call, so a client whose setup fails leaves no timer behind.
  private sweeper: NodeJS.Timeout | undefined
  private closedWith: unknown

  constructor(o: PendingCallsOptions = {}) {
    this.answered = new RecentIds(o.rememberAnswered ?? 200_000)
    this.sweepMs = o.sweepMs ?? 1000
  }

  get size(): number {
    return this.waiting.size
  }

  /** The promise the reply to `id` settles. Register it before the request can be answered. */
  wait(id: string, ctx: CallContext): Promise<unknown> {
    if (this.closedWith !== undefined) return Promise.reject(this.closedWith)
    this.sweeper ??= setInterval(() => this.sweep(), this.sweepMs).unref()
    return new Promise((resolve, reject) => this.waiting.set(id, { resolve, reject, ctx }))
  }

  /** Delivers a reply: `error` set rejects the call. False when nobody waited (then counted). */
  settle(id: string, result: unknown, error?: unknown): boolean {
    const w = this.waiting.get(id)
    if (w) this.waiting.delete(id)
    if (!w || w.ctx.abandoned) {
      if (this.answered.has(id)) this.counters.duplicates++
      else this.counters.late++
      if (w) abandon(w)
      return false
    }
    this.answered.add(id)
    if (error !== undefined) w.reject(error)
    else w.resolve(result)
    return true
  }

  /** The request never got out (or came back unrouted): fail the call without counting a reply. */
  fail(id: string, err: unknown): void {
    const w = this.waiting.get(id)
    if (!w) return
    this.waiting.delete(id)
    w.reject(err)
  }

  /**
   * The connection is gone or the client closes: stops the sweeper and fails what still
   * waits now rather than at its deadline; later calls fail with `err` too.
   */
  close(err: unknown): void {
    this.closedWith = err
    clearInterval(this.sweeper)
    const all = [...this.waiting.values()]
    this.waiting.clear()
    for (const w of all) w.reject(err)
  }

  private sweep(): void {
    for (const [id, w] of this.waiting) {
      if (!w.ctx.abandoned) continue
      this.waiting.delete(id)
      abandon(w)
    }
  }
}

/**
 * Settles the promise of a call its caller gave up on. core/client.ts has answered the
 * caller already, but whatever else waits on the transport's promise (the Kafka client's
 * per-partition count of unanswered jobs) must see it end.
 */
function abandon(w: Waiter): void {
  w.reject(ABANDONED)
}
/** One error for all: nobody reads it. */
const ABANDONED = new CancelledError('the caller stopped waiting')
