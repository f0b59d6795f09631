import { getEventListeners } from 'node:events'
import { describe, expect, it } from 'vitest'
import { Channel } from './channel.ts'
import { clientFromTransport, type CallContext, type Transport } from './client.ts'
import { CancelledError, TimeoutError, UnavailableError, ValidationError } from './errors.ts'
import type { OperationName, TrendingUpdate } from './schemas.ts'
import { ReviewService } from './service.ts'

interface Sent {
  op: OperationName
  params: Record<string, unknown>
  ctx: CallContext
}

/** An in-process transport: calls go straight to a ReviewService, or to `override`. */
function fakeTransport(override?: (s: Sent) => Promise<unknown>) {
  const service = new ReviewService()
  const sent: Sent[] = []
  const subscriptions: AbortSignal[] = []
  const updates = new Channel<TrendingUpdate>()
  let closed = 0
  const transport: Transport = {
    call(op, params, ctx) {
      const s = { op, params, ctx }
      sent.push(s)
      return override ? override(s) : service.call(op, params)
    },
    subscribe(signal) {
      subscriptions.push(signal)
      signal.addEventListener('abort', () => updates.end(), { once: true })
      return updates
    },
    async close() {
      closed++
    },
  }
  return { transport, sent, subscriptions, updates, closed: () => closed }
}

const review = { productId: 'B00005N7P0', reviewerId: 'A94QU4C90B1AX', rating: 4, text: 'Très bien.' }
const never = () => new Promise<never>(() => {})

describe('clientFromTransport', () => {
  it('runs operations end to end over the transport', async () => {
    const { transport } = fakeTransport()
    const c = clientFromTransport(transport)
    const stored = await c.submitReview(review)
    expect(stored).toMatchObject(review)
    expect(await c.listReviews(review.productId)).toEqual([stored])
    expect(await c.productStats(review.productId)).toMatchObject({ count: 1, meanRating: 4 })
    expect(await c.trending()).toEqual([{ productId: review.productId, count: 1, meanRating: 4 }])
    expect(await c.moderate('a scam', { ioMillis: 1 })).toEqual({ text: 'a CENSORED', hits: 1 })
  })

  it('adds a requestId to submitReview and moderate params only', async () => {
    const { transport, sent } = fakeTransport()
    const c = clientFromTransport(transport)
    await c.submitReview(review)
    await c.moderate('fine')
    await c.listReviews(review.productId, 5)
    await c.submitReview(review, { requestId: 'mine-1' })
    const [submit, moderate, list, own] = sent
    expect(submit.params.requestId).toEqual(expect.any(String))
    expect(submit.params.requestId).toBe(submit.ctx.requestId)
    expect(moderate.params.requestId).toBe(moderate.ctx.requestId)
    expect(submit.params.requestId).not.toBe(moderate.params.requestId)
    expect(list.params).toEqual({ productId: review.productId, limit: 5 })
    expect(own.params.requestId).toBe('mine-1')
  })

  it('makes a retry with the same requestId idempotent', async () => {
    const { transport } = fakeTransport()
    const c = clientFromTransport(transport)
    const a = await c.submitReview(review, { requestId: 'retry-me' })
    const b = await c.submitReview(review, { requestId: 'retry-me' })
    expect(b.id).toBe(a.id)
    expect((await c.productStats(review.productId)).count).toBe(1)
  })

  it('rejects with TimeoutError when the deadline passes', async () => {
    const { transport, sent } = fakeTransport(never)
    const c = clientFromTransport(transport, { timeoutMs: 5000 })
    const t0 = Date.now()
    await expect(c.productStats(review.productId, { timeoutMs: 30 })).rejects.toBeInstanceOf(TimeoutError)
    expect(Date.now() - t0).toBeLessThan(4000) // the per-call deadline won over the default
    expect(sent[0].ctx.deadline).toBeGreaterThan(t0)
    expect(sent[0].ctx.abandoned).toBe(true)
  })

  it('reports a timeout as TimeoutError even when the transport fails on the abort', async () => {
    const { transport } = fakeTransport(
      (s) => new Promise((_, reject) => s.ctx.onAbandon(() => reject(new Error('socket aborted')))),
    )
    const c = clientFromTransport(transport)
    await expect(c.moderate('x', undefined, { timeoutMs: 20 })).rejects.toBeInstanceOf(TimeoutError)
  })

  it('tells onAbandon listeners the reason once, at once when late, and never after an answer', async () => {
    const heard: unknown[] = []
    let forgotten = 0
    const { transport } = fakeTransport((s) => {
      s.ctx.onAbandon((r) => heard.push(r))
      const forget = s.ctx.onAbandon(() => forgotten++)
      forget()
      return s.op === 'productStats' ? never() : Promise.resolve({ text: 'ok', hits: 0 })
    })
    const c = clientFromTransport(transport)
    await c.moderate('answered')
    await expect(c.productStats(review.productId, { timeoutMs: 20 })).rejects.toBeInstanceOf(TimeoutError)
    expect(heard).toHaveLength(1)
    expect(heard[0]).toBeInstanceOf(TimeoutError)
    expect(forgotten).toBe(0)
  })

  it('calls an onAbandon listener added after the caller gave up at once', async () => {
    let ctx: CallContext | undefined
    const { transport } = fakeTransport((s) => {
      ctx = s.ctx
      return never()
    })
    const c = clientFromTransport(transport)
    const ac = new AbortController()
    const call = c.moderate('x', undefined, { signal: ac.signal })
    ac.abort()
    await expect(call).rejects.toBeInstanceOf(CancelledError)
    const late: unknown[] = []
    ctx!.onAbandon((r) => late.push(r))
    expect(late).toHaveLength(1)
    expect(late[0]).toBeInstanceOf(CancelledError)
  })

  it('rejects with CancelledError when the caller aborts', async () => {
    const { transport } = fakeTransport(never)
    const c = clientFromTransport(transport)
    const ac = new AbortController()
    setTimeout(() => ac.abort(new Error('user pressed Ctrl-C')), 10)
    const err = await c.submitReview(review, { signal: ac.signal }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CancelledError)
    expect((err as CancelledError).cause).toMatchObject({ message: 'user pressed Ctrl-C' })
  })

  it('calls sharing one signal add one abort listener between them, and all are cancelled by it', async () => {
    const { transport } = fakeTransport(never)
    const c = clientFromTransport(transport)
    const ac = new AbortController()
    const calls = Array.from({ length: 500 }, () => c.moderate('x', undefined, { signal: ac.signal }).catch((e: unknown) => e))
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1)
    ac.abort()
    const errs = await Promise.all(calls)
    expect(errs.every((e) => e instanceof CancelledError)).toBe(true)
  })

  it('removes the shared listener when the last call on the signal settles', async () => {
    const { transport } = fakeTransport()
    const c = clientFromTransport(transport)
    const ac = new AbortController()
    await Promise.all([c.moderate('a', undefined, { signal: ac.signal }), c.moderate('b', undefined, { signal: ac.signal })])
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0)
    // The next call on the same signal registers again and is still cancelled by it.
    const late = c.moderate('late', undefined, { signal: ac.signal })
    ac.abort()
    await expect(late).rejects.toBeInstanceOf(CancelledError)
    // A signal that aborted already is checked before anything is registered.
    await expect(c.moderate('after', undefined, { signal: ac.signal })).rejects.toBeInstanceOf(CancelledError)
  })

  it('never sends a call whose signal is already aborted', async () => {
    const { transport, sent } = fakeTransport()
    const c = clientFromTransport(transport)
    await expect(c.submitReview(review, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(CancelledError)
    expect(sent).toHaveLength(0)
  })

  it('passes the transport’s typed errors through', async () => {
    const { transport } = fakeTransport()
    const c = clientFromTransport(transport)
    const err = await c.submitReview({ ...review, rating: 9 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ValidationError)
    expect((err as ValidationError).field).toBe('rating')
  })

  it('subscribes, and close() ends subscriptions, closes the transport and refuses further calls', async () => {
    const f = fakeTransport()
    const c = clientFromTransport(f.transport)
    const seen: number[] = []
    const reading = (async () => {
      for await (const u of c.subscribe()) seen.push(u.seq)
    })()
    f.updates.push({ seq: 1, at: Date.now(), top: [] })
    await new Promise((r) => setTimeout(r, 5))
    await c.close()
    await reading
    expect(seen).toEqual([1])
    expect(f.subscriptions[0].aborted).toBe(true)
    expect(f.closed()).toBe(1)
    await c.close() // idempotent
    expect(f.closed()).toBe(1)
    await expect(c.trending()).rejects.toBeInstanceOf(UnavailableError)
  })

  it('ends a subscription when its own signal aborts', async () => {
    const f = fakeTransport()
    const c = clientFromTransport(f.transport)
    const ac = new AbortController()
    const it = c.subscribe({ signal: ac.signal })[Symbol.asyncIterator]()
    const next = it.next()
    ac.abort()
    expect(await next).toEqual({ value: undefined, done: true })
    expect(f.subscriptions[0].aborted).toBe(true)
    await c.close()
  })
})
