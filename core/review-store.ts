// In-memory review state of one node (single, or the master of a cluster). Bounded: per
// product only the newest LIST_CAP reviews are kept for listing, while counts and rating
// sums are exact forever; the trending log keeps only what the widest window can see.
import { randomUUID } from 'node:crypto'
import { RecentMap } from './bounded.ts'
import type { ProductStats, Review, ReviewInput, TrendingEntry } from './schemas.ts'

const LIST_CAP = 1000
const TRENDING_HORIZON_MS = 86_400_000
const IDEMPOTENCY_CAP = 200_000

interface Tally {
  count: number
  sum: number
  newest: Review[] // oldest first; listing reverses
}

interface Event {
  at: number
  productId: string
  rating: number
}

export class ReviewStore {
  private readonly products = new Map<string, Tally>()
  private readonly log: Event[] = []
  private logStart = 0
  private readonly byRequest = new RecentMap<string, Review>(IDEMPOTENCY_CAP)

  constructor(private readonly now: () => number = Date.now) {}

  /** Stores a review; with the same requestId twice, returns the first result and stores nothing. */
  submit(input: ReviewInput, requestId?: string): Review {
    if (requestId) {
      const seen = this.byRequest.get(requestId)
      if (seen) return seen
    }
    const at = this.now()
    const review: Review = { ...input, id: randomUUID(), ts: input.ts ?? at }
    let t = this.products.get(review.productId)
    if (!t) this.products.set(review.productId, (t = { count: 0, sum: 0, newest: [] }))
    t.count++
    t.sum += review.rating
    t.newest.push(review)
    if (t.newest.length > LIST_CAP * 2) t.newest.splice(0, t.newest.length - LIST_CAP)
    // Trending counts what arrived recently (time of receipt), so replayed old reviews still trend.
    this.log.push({ at, productId: review.productId, rating: review.rating })
    this.prune(at)
    if (requestId) {
      this.byRequest.set(requestId, review)
    }
    return review
  }

  list(productId: string, limit: number): Review[] {
    const t = this.products.get(productId)
    if (!t) return []
    const out: Review[] = []
    for (let i = t.newest.length - 1; i >= 0 && out.length < limit; i--) out.push(t.newest[i])
    return out
  }

  stats(productId: string): ProductStats {
    const t = this.products.get(productId)
    return { productId, count: t?.count ?? 0, meanRating: t && t.count > 0 ? t.sum / t.count : 0 }
  }

  /** Top-k products by reviews received in the last windowMs; ties broken by productId. */
  trending(windowMs: number, k: number): TrendingEntry[] {
    const from = this.now() - windowMs
    const agg = new Map<string, { count: number; sum: number }>()
    for (let i = this.log.length - 1; i >= this.logStart; i--) {
      const e = this.log[i]
      if (e.at < from) break
      const a = agg.get(e.productId)
      if (a) {
        a.count++
        a.sum += e.rating
      } else agg.set(e.productId, { count: 1, sum: e.rating })
    }
    return [...agg.entries()]
      .map(([productId, a]) => ({ productId, count: a.count, meanRating: a.sum / a.count }))
      .sort((x, y) => y.count - x.count || (x.productId < y.productId ? -1 : 1))
      .slice(0, k)
  }

  private prune(now: number): void {
    while (this.logStart < this.log.length && this.log[this.logStart].at < now - TRENDING_HORIZON_MS) this.logStart++
    if (this.logStart > 10_000 && this.logStart > this.log.length / 2) {
      this.log.splice(0, this.logStart)
      this.logStart = 0
    }
  }
}
