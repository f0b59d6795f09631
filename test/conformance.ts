// The conformance suite: every behaviour of the review service, run the same way against
// every middleware and topology. A middleware is done when this passes over it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MiddlewareName, ReviewClient } from '../core/contract.ts'
import { CancelledError, TimeoutError, ValidationError } from '../core/errors.ts'
import type { ReviewInput } from '../core/schemas.ts'
import { startTopology, type BrokerUrls, type Topology, type TopologyKind } from './topology.ts'

let seq = 0
/** A fresh ASIN per call, so tests never see each other's reviews. */
export function freshAsin(): string {
  const n = (Date.now() % 1e6) * 1000 + (seq++ % 1000)
  return ('T' + n.toString(36).toUpperCase()).padEnd(10, 'X').slice(0, 10)
}

function review(productId: string, rating: number, text = 'solid product'): ReviewInput {
  return { productId, reviewerId: `r${rating}`, rating, text }
}

async function expectValidation(p: Promise<unknown>, field: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err, `expected a ValidationError naming ${field}`).toBeInstanceOf(ValidationError)
  expect((err as ValidationError).field).toBe(field)
  expect((err as Error).message).toContain(field)
}

export function describeConformance(mw: MiddlewareName, kind: TopologyKind, urls: () => BrokerUrls): void {
  describe(`${mw} ${kind}`, () => {
    let topo: Topology
    let c: ReviewClient

    beforeAll(async () => {
      topo = await startTopology(mw, kind, urls())
      c = topo.client
    })
    afterAll(async () => {
      await topo?.close()
    })

    it('submitReview stores and returns the review with an id and a timestamp', async () => {
      const p = freshAsin()
      const before = Date.now()
      const r = await c.submitReview(review(p, 4, 'works as described'))
      expect(r).toMatchObject({ productId: p, reviewerId: 'r4', rating: 4, text: 'works as described' })
      expect(typeof r.id).toBe('string')
      expect(r.id.length).toBeGreaterThan(0)
      expect(r.ts).toBeGreaterThanOrEqual(before - 1000)
      const withTs = await c.submitReview({ ...review(p, 2), ts: 1_000_000 })
      expect(withTs.ts).toBe(1_000_000)
    })

    it('listReviews is newest first, honours limit, and sees reviews whichever node took them', async () => {
      const p = freshAsin()
      for (let i = 1; i <= 5; i++) await c.submitReview(review(p, i, `review ${i}`))
      // Several calls (spread over workers in a cluster) and a second client all agree.
      const other = await topo.connect()
      for (const client of [c, other, c, other]) {
        const list = await client.listReviews(p, 3)
        expect(list.map((r) => r.text)).toEqual(['review 5', 'review 4', 'review 3'])
      }
      expect(await c.listReviews(freshAsin())).toEqual([])
    })

    it('productStats counts and averages exactly', async () => {
      const p = freshAsin()
      await Promise.all([1, 2, 3, 5, 5].map((r) => c.submitReview(review(p, r))))
      expect(await c.productStats(p)).toEqual({ productId: p, count: 5, meanRating: 16 / 5 })
      expect(await c.productStats(freshAsin())).toMatchObject({ count: 0, meanRating: 0 })
    })

    it('trending ranks products by reviews in the window, with their mean rating', async () => {
      const [a, b] = [freshAsin(), freshAsin()]
      // Far more reviews than any other test submits, so these two lead the window.
      await Promise.all(Array.from({ length: 40 }, (_, i) => c.submitReview(review(a, (i % 5) + 1))))
      await Promise.all(Array.from({ length: 30 }, () => c.submitReview(review(b, 5))))
      const top = await c.trending(60_000, 2)
      expect(top).toEqual([
        { productId: a, count: 40, meanRating: 3 },
        { productId: b, count: 30, meanRating: 5 },
      ])
      expect(await c.trending(60_000, 1)).toHaveLength(1)
    })

    it('moderate censors banned words, whole words only, case-insensitive', async () => {
      const m = await c.moderate('This Scam is STUPID, said the idiot; scammers stupidity')
      expect(m).toEqual({ text: 'This CENSORED is CENSORED, said the CENSORED; scammers stupidity', hits: 3 })
      expect(await c.moderate('nothing to see')).toEqual({ text: 'nothing to see', hits: 0 })
    })

    it('moderate applies the cost model (ioMillis waits)', async () => {
      const t0 = performance.now()
      const m = await c.moderate('scam', { ioMillis: 50, cpuMicros: 1000 })
      expect(m.hits).toBe(1)
      expect(performance.now() - t0).toBeGreaterThanOrEqual(45)
    })

    it('answers many concurrent calls, each with its own result', async () => {
      const texts = Array.from({ length: 200 }, (_, i) => `call ${i} ${i % 2 ? 'scam' : 'fine'}`)
      const out = await Promise.all(texts.map((t) => c.moderate(t)))
      out.forEach((m, i) => expect(m.text).toBe(texts[i].replace('scam', 'CENSORED')))
    })

    it('a retried submitReview with the same requestId is applied once', async () => {
      const p = freshAsin()
      const first = await c.submitReview(review(p, 3), { requestId: `req-${p}` })
      const again = await c.submitReview(review(p, 3), { requestId: `req-${p}` })
      expect(again.id).toBe(first.id)
      expect((await c.productStats(p)).count).toBe(1)
    })

    it('subscribe delivers trending broadcasts in order', async () => {
      const p = freshAsin()
      await Promise.all(Array.from({ length: 60 }, () => c.submitReview(review(p, 5))))
      const ac = new AbortController()
      const got: { seq: number; top: { productId: string }[] }[] = []
      const timer = setTimeout(() => ac.abort(), 20_000)
      for await (const u of c.subscribe({ signal: ac.signal })) {
        got.push(u)
        if (got.length >= 2) break
      }
      clearTimeout(timer)
      expect(got).toHaveLength(2)
      expect(got[1].seq).toBeGreaterThan(got[0].seq)
      expect(got[1].top.length).toBeGreaterThan(0)
      expect(got[1].top.length).toBeLessThanOrEqual(5)
      expect(got[1].top.map((e) => e.productId)).toContain(p)
    })

    it('rejects invalid input with a ValidationError naming the field, and keeps serving', async () => {
      const p = freshAsin()
      await expectValidation(c.submitReview(review(p, 0)), 'rating')
      await expectValidation(c.submitReview(review(p, 7)), 'rating')
      await expectValidation(c.submitReview({ ...review(p, 3), productId: undefined } as unknown as ReviewInput), 'productId')
      await expectValidation(c.submitReview(review(p, 3, 'x'.repeat(4097))), 'text')
      await expectValidation(c.submitReview({ ...review(p, 3), rating: 'five' } as unknown as ReviewInput), 'rating')
      await expectValidation(c.listReviews('not an asin'), 'productId')
      await expectValidation(c.moderate('hi', { cpuMicros: -1 }), 'cost.cpuMicros')
      expect((await c.productStats(p)).count).toBe(0)
      expect((await c.moderate('still serving, idiot')).hits).toBe(1)
    })

    it('enforces deadlines and cancellation', async () => {
      await expect(c.moderate('slow', { ioMillis: 2000 }, { timeoutMs: 200 })).rejects.toBeInstanceOf(TimeoutError)
      const ac = new AbortController()
      setTimeout(() => ac.abort(), 50)
      await expect(c.moderate('slow', { ioMillis: 2000 }, { signal: ac.signal })).rejects.toBeInstanceOf(CancelledError)
      expect((await c.moderate('fast')).hits).toBe(0)
    })
  })
}
