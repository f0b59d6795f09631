import { describe, expect, it } from 'vitest'
import { ReviewStore } from './review-store.ts'
import type { ReviewInput } from './schemas.ts'

const P1 = 'B000000001'
const P2 = 'B000000002'
const P3 = 'B000000003'
const review = (productId: string, rating: number, text = 'ok'): ReviewInput => ({ productId, reviewerId: 'A1', rating, text })

/** A store on a clock the test moves by hand. */
function clocked(start = 1_000_000) {
  const clock = { t: start }
  return { clock, store: new ReviewStore(() => clock.t) }
}

describe('ReviewStore', () => {
  it('assigns ids and stamps the time of receipt unless ts is given', () => {
    const { clock, store } = clocked()
    const a = store.submit(review(P1, 5))
    const b = store.submit({ ...review(P1, 4), ts: 42 })
    expect(a.id).not.toBe(b.id)
    expect(a.ts).toBe(clock.t)
    expect(b.ts).toBe(42)
  })

  it('lists newest first and honours the limit', () => {
    const { clock, store } = clocked()
    for (const text of ['first', 'second', 'third']) {
      store.submit(review(P1, 3, text))
      clock.t += 10
    }
    store.submit(review(P2, 3, 'other product'))
    expect(store.list(P1, 10).map((r) => r.text)).toEqual(['third', 'second', 'first'])
    expect(store.list(P1, 2).map((r) => r.text)).toEqual(['third', 'second'])
    expect(store.list(P3, 10)).toEqual([])
  })

  it('keeps exact counts and mean ratings', () => {
    const { store } = clocked()
    for (const r of [5, 4, 3, 1]) store.submit(review(P1, r))
    expect(store.stats(P1)).toEqual({ productId: P1, count: 4, meanRating: 3.25 })
    expect(store.stats(P2)).toEqual({ productId: P2, count: 0, meanRating: 0 })
  })

  it('ranks trending products by reviews received inside the window', () => {
    const { clock, store } = clocked()
    // t0: P1 x3 (old by the time we ask)
    for (let i = 0; i < 3; i++) store.submit(review(P1, 5))
    clock.t += 50_000
    // t0+50s: P2 x2 (ratings 4,2), P3 x1, P1 x1
    store.submit(review(P2, 4))
    store.submit(review(P2, 2))
    store.submit(review(P3, 5))
    store.submit(review(P1, 1))
    clock.t += 20_000 // now t0+70s
    expect(store.trending(60_000, 5)).toEqual([
      { productId: P2, count: 2, meanRating: 3 },
      { productId: P1, count: 1, meanRating: 1 },
      { productId: P3, count: 1, meanRating: 5 },
    ])
    // A wider window sees the old P1 reviews too.
    expect(store.trending(80_000, 1)).toEqual([{ productId: P1, count: 4, meanRating: 4 }])
    clock.t += 60_001
    expect(store.trending(60_000, 5)).toEqual([])
  })

  it('breaks ties by productId and cuts at k', () => {
    const { store } = clocked()
    for (const p of [P3, P1, P2]) store.submit(review(p, 3))
    expect(store.trending(1000, 5).map((e) => e.productId)).toEqual([P1, P2, P3])
    expect(store.trending(1000, 2).map((e) => e.productId)).toEqual([P1, P2])
  })

  it('trends replayed old reviews by time of receipt, not their ts', () => {
    const { store } = clocked()
    store.submit({ ...review(P1, 5), ts: 1_000 })
    expect(store.trending(60_000, 5)).toEqual([{ productId: P1, count: 1, meanRating: 5 }])
  })

  it('applies a submit once per requestId', () => {
    const { store } = clocked()
    const first = store.submit(review(P1, 5), 'req-1')
    const again = store.submit(review(P1, 1, 'a retry with other content'), 'req-1')
    expect(again).toEqual(first)
    expect(store.stats(P1).count).toBe(1)
    store.submit(review(P1, 1), 'req-2')
    store.submit(review(P1, 1)) // no requestId: never de-duplicated
    store.submit(review(P1, 1))
    expect(store.stats(P1).count).toBe(4)
    expect(store.trending(1000, 1)[0].count).toBe(4)
  })
})
