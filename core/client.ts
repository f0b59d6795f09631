// Turns a middleware's raw `call(op, params)` into the typed ReviewClient of the contract:
// request ids, per-call deadlines and cancellation are handled here once, the same way
// for every middleware.
import { randomUUID } from 'node:crypto'
import { CancelledError, MwlabError, TimeoutError, UnavailableError } from './errors.ts'
import type { CallOptions, ReviewClient } from './contract.ts'
import type { CostInput, OperationName, ResultOf, TrendingUpdate } from './schemas.ts'

export const DEFAULT_TIMEOUT_MS = 10_000
const IDEMPOTENT_OPS = new Set<OperationName>(['submitReview', 'moderate'])

export interface CallContext {
  /** Aborts on deadline or cancellation; `signal.reason` is a TimeoutError or CancelledError. */
  signal: AbortSignal
  requestId: string
  /** Absolute deadline (ms since epoch), for transports that carry one on the wire. */
  deadline: number
}

/** What a middleware's client must provide. Errors it throws should be MwlabErrors. */
export interface Transport {
  call(op: OperationName, params: Record<string, unknown>, ctx: CallContext): Promise<unknown>
  subscribe(signal: AbortSignal): AsyncIterable<TrendingUpdate>
  close(): Promise<void>
}

/** Rejects with `signal.reason` as soon as the signal aborts (for transports that cannot cancel). */
export function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (e) => {
        signal.removeEventListener('abort', onAbort)
        reject(e)
      },
    )
  })
}

export function clientFromTransport(t: Transport, defaults: { timeoutMs?: number } = {}): ReviewClient {
  let closed = false
  const subscriptions = new Set<AbortController>()

  async function invoke<Op extends OperationName>(op: Op, params: Record<string, unknown>, o: CallOptions = {}): Promise<ResultOf[Op]> {
    if (closed) throw new UnavailableError('client is closed')
    const timeoutMs = o.timeoutMs ?? defaults.timeoutMs ?? DEFAULT_TIMEOUT_MS
    const ac = new AbortController()
    const timer = setTimeout(() => ac.abort(new TimeoutError(`${op} timed out after ${timeoutMs} ms`)), timeoutMs)
    const onUserAbort = () => ac.abort(new CancelledError(`${op} cancelled`, { cause: o.signal?.reason }))
    if (o.signal?.aborted) onUserAbort()
    else o.signal?.addEventListener('abort', onUserAbort, { once: true })
    try {
      const ctx: CallContext = { signal: ac.signal, requestId: o.requestId ?? randomUUID(), deadline: Date.now() + timeoutMs }
      // The request id travels in the params of the operations that change state or are
      // jobs, so the server can answer a retry with the first result instead of applying it twice.
      const sent = IDEMPOTENT_OPS.has(op) ? { ...params, requestId: ctx.requestId } : params
      // Already cancelled: never put the request on the wire (a submit would still be applied).
      if (ac.signal.aborted) throw ac.signal.reason
      return (await raceAbort(t.call(op, sent, ctx), ac.signal)) as ResultOf[Op]
    } catch (err) {
      if (ac.signal.aborted && !(err instanceof MwlabError && err.code !== 'CANCELLED' && err.code !== 'DEADLINE_EXCEEDED')) {
        throw ac.signal.reason
      }
      throw err
    } finally {
      clearTimeout(timer)
      o.signal?.removeEventListener('abort', onUserAbort)
    }
  }

  return {
    submitReview: (input, o) => invoke('submitReview', { ...input }, o),
    listReviews: (productId, limit, o) => invoke('listReviews', limit === undefined ? { productId } : { productId, limit }, o),
    productStats: (productId, o) => invoke('productStats', { productId }, o),
    trending: (windowMs, k, o) => invoke('trending', { ...(windowMs !== undefined && { windowMs }), ...(k !== undefined && { k }) }, o),
    moderate: (text: string, cost?: CostInput, o?: CallOptions) => invoke('moderate', cost ? { text, cost } : { text }, o),
    subscribe(opts = {}) {
      const ac = new AbortController()
      if (opts.signal?.aborted) ac.abort()
      opts.signal?.addEventListener('abort', () => ac.abort(), { once: true })
      subscriptions.add(ac)
      ac.signal.addEventListener('abort', () => subscriptions.delete(ac), { once: true })
      return t.subscribe(ac.signal)
    },
    async close() {
      if (closed) return
      closed = true
      for (const ac of subscriptions) ac.abort()
      await t.close()
    },
  }
}
