import { describe, expect, it } from 'vitest'
import { setTimeout as sleep } from 'node:timers/promises'
import { BROADCAST_TOP_K, startBroadcaster } from './broadcaster.ts'
import { ReviewStore } from './review-store.ts'
import type { TrendingUpdate } from './schemas.ts'
import { LocalBackend, type ReviewBackend } from './service.ts'

/** A backend whose trending() is the given function; other operations are never called here. */
function withTrending(trending: ReviewBackend['trending']): ReviewBackend {
  const local = new LocalBackend()
  return {
    submitReview: (i, r) => local.submitReview(i, r),
    listReviews: (p, l) => local.listReviews(p, l),
    productStats: (p) => local.productStats(p),
    trending,
  }
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await sleep(5)
  }
}

describe('startBroadcaster', () => {
  it('publishes the top 5 with increasing seq on every tick, and stops', async () => {
    const store = new ReviewStore()
    // Product i gets i+1 reviews: B000000006 is the most reviewed.
    for (let i = 0; i < 7; i++) {
      for (let n = 0; n <= i; n++) store.submit({ productId: `B00000000${i}`, reviewerId: 'A1', rating: 1 + (n % 5), text: '' })
    }
    const got: TrendingUpdate[] = []
    const b = startBroadcaster(new LocalBackend(store), (u) => void got.push(u), { intervalMs: 15 })
    try {
      await until(() => got.length >= 3)
    } finally {
      b.stop()
    }
    expect(got.slice(0, 3).map((u) => u.seq)).toEqual([1, 2, 3])
    for (const u of got) {
      expect(u.top).toHaveLength(BROADCAST_TOP_K)
      expect(u.top.map((e) => e.productId)).toEqual(['B000000006', 'B000000005', 'B000000004', 'B000000003', 'B000000002'])
      expect(u.top[0].count).toBe(7)
      expect(Math.abs(u.at - Date.now())).toBeLessThan(10_000)
    }
    const n = got.length
    await sleep(60)
    expect(got.length).toBe(n)
  })

  it('reports backend failures and keeps ticking', async () => {
    let calls = 0
    const flaky = withTrending(async () => {
      if (++calls === 1) throw new Error('backend down')
      return []
    })
    const errors: unknown[] = []
    const got: TrendingUpdate[] = []
    const b = startBroadcaster(flaky, (u) => void got.push(u), { intervalMs: 10, onError: (e) => errors.push(e) })
    try {
      await until(() => got.length >= 1)
    } finally {
      b.stop()
    }
    expect((errors[0] as Error).message).toBe('backend down')
    expect(got[0]).toMatchObject({ seq: 1, top: [] })
  })

  it('does not publish a tick that was in flight when it was stopped', async () => {
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    let started = false
    const slow = withTrending(async () => {
      started = true
      await gate
      return []
    })
    const got: TrendingUpdate[] = []
    const b = startBroadcaster(slow, (u) => void got.push(u), { intervalMs: 10 })
    await until(() => started)
    b.stop()
    release()
    await sleep(30)
    expect(got).toEqual([])
  })
})
