// Turns a middleware's raw `call(op, params)` into the typed ReviewClient of the contract:
// request ids, per-call deadlines and cancellation are handled here once, the same way
// for every middleware.
import { randomUUID } from 'node:crypto'
import type { Abandonable } from './abortable.ts'
import { CancelledError, MwlabError, TimeoutError, UnavailableError } from './errors.ts'
import type { CallOptions, ReviewClient } from './contract.ts'
import type { CostInput, OperationName, ResultOf, TrendingUpdate } from './schemas.ts'

export const DEFAULT_TIMEOUT_MS = 10_000
const IDEMPOTENT_OPS = new Set<OperationName>(['submitReview', 'moderate'])

/**
 * What a transport knows of a call. The caller's giving up (deadline or cancellation) is read
 * from `abandoned`, or heard of through `onAbandon` (core/abortable.ts) with the TimeoutError
 * or CancelledError as the reason: no AbortController per call.
 */
export interface CallContext extends Abandonable {
  /** The caller stopped waiting (deadline or cancellation); its answer, if any comes, is dropped. */
  readonly abandoned: boolean
  readonly requestId: string
  /** Absolute deadline (ms since epoch), for transports that carry one on the wire. */
  readonly deadline: number
}

/**
 * One call: its context for the transport, and its settling. The first of deadline,
 * cancellation and answer wins. Methods rather than closures made per call: this runs for
 * every call of every harness, and tsx names each closure it makes (esbuild's keepNames),
 * which showed in the client's profile.
 */
class CallState implements CallContext {
  private reason: MwlabError | undefined
  private listeners: ((reason: MwlabError) => void)[] | undefined
  private settled = false
  timer: NodeJS.Timeout | undefined
  /** forgets the caller's abort listener */
  forget: (() => void) | undefined

  constructor(
    readonly requestId: string,
    readonly deadline: number,
    private readonly resolve: (v: unknown) => void,
    private readonly reject: (err: unknown) => void,
  ) {}

  get abandoned(): boolean {
    return this.reason !== undefined
  }

  onAbandon(cb: (reason: MwlabError) => void): () => void {
    if (this.reason) {
      cb(this.reason)
      return () => {}
    }
    ;(this.listeners ??= []).push(cb)
    return () => {
      const i = this.listeners?.indexOf(cb) ?? -1
      if (i >= 0) this.listeners!.splice(i, 1)
    }
  }

  /** The transport's answer, unless the caller gave up first. */
  answered(v: unknown): void {
    if (this.finish()) this.resolve(v)
  }

  failed(err: unknown): void {
    if (this.finish()) this.reject(err)
  }

  /** Deadline or cancellation: the transport sees the abort (to free what it holds), and whatever it settles with afterwards is ignored. */
  giveUp(reason: MwlabError): void {
    if (!this.finish()) return
    this.reason = reason
    this.reject(reason) // first: the caller is answered whatever a listener does
    const listeners = this.listeners
    this.listeners = undefined
    for (const cb of listeners ?? []) cb(reason)
  }

  private finish(): boolean {
    if (this.settled) return false
    this.settled = true
    clearTimeout(this.timer)
    this.forget?.()
    return true
  }
}

function timedOut(call: CallState, op: OperationName, ms: number): void {
  call.giveUp(new TimeoutError(`${op} timed out after ${ms} ms`))
}

function cancelled(call: CallState, op: OperationName, user: AbortSignal): void {
  call.giveUp(new CancelledError(`${op} cancelled`, { cause: user.reason }))
}

/** What a middleware's client must provide. Errors it throws should be MwlabErrors. */
export interface Transport {
  call(op: OperationName, params: Record<string, unknown>, ctx: CallContext): Promise<unknown>
  subscribe(signal: AbortSignal): AsyncIterable<TrendingUpdate>
  close(): Promise<void>
}

/**
 * Calls waiting on the same caller signal share one abort listener. EventTarget walks its
 * whole listener list on every add and remove, so a listener per call made each call cost
 * O(calls in flight) when a harness hands one signal to a thousand concurrent calls. The
 * listener goes when its last call does: a listener keeps a timeout or `any()` signal alive.
 * (The calls sharing it are cancelled together, at the place of the first in the signal's list.)
 */
const waitersOf = new WeakMap<AbortSignal, { calls: Set<() => void>; listener: () => void }>()

/** Runs `onAbort` when `signal` aborts; the returned function forgets it (O(1)). */
function whenAborted(signal: AbortSignal, onAbort: () => void): () => void {
  if (signal.aborted) {
    onAbort()
    return () => {}
  }
  let w = waitersOf.get(signal)
  if (!w) {
    const calls = new Set<() => void>()
    const listener = () => {
      waitersOf.delete(signal)
      for (const c of calls) c()
    }
    waitersOf.set(signal, (w = { calls, listener }))
    signal.addEventListener('abort', listener, { once: true })
  }
  const { calls, listener } = w
  calls.add(onAbort)
  return () => {
    if (calls.delete(onAbort) && calls.size === 0 && waitersOf.get(signal)?.calls === calls) {
      waitersOf.delete(signal)
      signal.removeEventListener('abort', listener)
    }
  }
}

export function clientFromTransport(t: Transport, defaults: { timeoutMs?: number } = {}): ReviewClient {
  let closed = false
  const subscriptions = new Set<AbortController>()

  // One promise, one timer and one CallState per call: this runs for every call of every
  // harness, so its cost shows in the figures.
  function invoke<Op extends OperationName>(op: Op, params: Record<string, unknown>, o: CallOptions = {}): Promise<ResultOf[Op]> {
    if (closed) return Promise.reject(new UnavailableError('client is closed'))
    const timeoutMs = o.timeoutMs ?? defaults.timeoutMs ?? DEFAULT_TIMEOUT_MS
    const user = o.signal
    return new Promise<ResultOf[Op]>((resolve, reject) => {
      const ctx = new CallState(o.requestId ?? randomUUID(), Date.now() + timeoutMs, resolve as (v: unknown) => void, reject)
      ctx.timer = setTimeout(timedOut, timeoutMs, ctx, op, timeoutMs)
      // Already cancelled: never put the request on the wire (a submit would still be applied).
      if (user?.aborted) return cancelled(ctx, op, user)
      if (user) ctx.forget = whenAborted(user, () => cancelled(ctx, op, user))
      // The request id travels in the params of the operations that change state or are
      // jobs, so the server can answer a retry with the first result instead of applying it twice.
      const sent = IDEMPOTENT_OPS.has(op) ? { ...params, requestId: ctx.requestId } : params
      let call: Promise<unknown>
      try {
        call = t.call(op, sent, ctx)
      } catch (err) {
        call = Promise.reject(err)
      }
      call.then(
        (v) => ctx.answered(v),
        (err: unknown) => ctx.failed(err),
      )
    })
  }

  return {
    submitReview: (input, o) => invoke('submitReview', input, o), // invoke copies it to add the request id
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
