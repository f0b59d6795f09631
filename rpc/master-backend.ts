// A worker's review state lives on its master: each state operation is one JSON-RPC call
// straight to the master (not through any balancer). submitReview keeps its requestId,
// so a client's retry through another worker is still applied once by the master's store.
import type { ProductStats, Review, ReviewInput, TrendingEntry } from '../core/schemas.ts'
import type { ReviewBackend } from '../core/service.ts'
import { TimeoutError } from '../core/errors.ts'
import type { RpcEndpoint } from './http-call.ts'

const FORWARD_TIMEOUT_MS = 10_000

export class MasterBackend implements ReviewBackend {
  constructor(private readonly master: RpcEndpoint) {}

  private call(method: string, params: Record<string, unknown>): Promise<unknown> {
    const signal = AbortSignal.timeout(FORWARD_TIMEOUT_MS)
    return this.master.call(method, params, signal).catch((err: unknown) => {
      if (signal.aborted) throw new TimeoutError(`${method} on the master timed out after ${FORWARD_TIMEOUT_MS} ms`, { cause: err })
      throw err
    })
  }

  async submitReview(input: ReviewInput, requestId?: string): Promise<Review> {
    return (await this.call('submitReview', requestId ? { ...input, requestId } : { ...input })) as Review
  }
  async listReviews(productId: string, limit: number): Promise<Review[]> {
    return (await this.call('listReviews', { productId, limit })) as Review[]
  }
  async productStats(productId: string): Promise<ProductStats> {
    return (await this.call('productStats', { productId })) as ProductStats
  }
  async trending(windowMs: number, k: number): Promise<TrendingEntry[]> {
    return (await this.call('trending', { windowMs, k })) as TrendingEntry[]
  }
}
