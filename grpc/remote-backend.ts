// A worker's ReviewBackend: the state operations run on the master, which owns the store.
// Forwarded calls inherit the deadline and cancellation of the client call being served
// (grpc-js `parent` propagation), so a worker never keeps working for a caller who left.
import type { AsyncLocalStorage } from 'node:async_hooks'
import * as grpc from '@grpc/grpc-js'
import { DEFAULT_TIMEOUT_MS } from '../core/client.ts'
import type { OperationName, ProductStats, Review, ReviewInput, TrendingEntry } from '../core/schemas.ts'
import type { ReviewBackend } from '../core/service.ts'
import type { ReviewServiceClient } from './generated/mwlab/ReviewService.ts'
import { callUnary } from './wire.ts'

/** A server call whose deadline and cancellation a forwarded call inherits. */
export type ParentCall = NonNullable<grpc.CallOptions['parent']>

export class RemoteBackend implements ReviewBackend {
  constructor(
    private readonly master: ReviewServiceClient,
    private readonly scope: AsyncLocalStorage<ParentCall>,
  ) {}

  private forward(op: OperationName, params: Record<string, unknown>): Promise<unknown> {
    const parent = this.scope.getStore()
    const options: grpc.CallOptions = { deadline: Date.now() + DEFAULT_TIMEOUT_MS }
    if (parent) Object.assign(options, { parent, propagate_flags: grpc.propagate.DEFAULTS })
    return callUnary(this.master, op, params, options)
  }

  async submitReview(input: ReviewInput, requestId?: string): Promise<Review> {
    return (await this.forward('submitReview', requestId ? { ...input, requestId } : { ...input })) as Review
  }
  async listReviews(productId: string, limit: number): Promise<Review[]> {
    return (await this.forward('listReviews', { productId, limit })) as Review[]
  }
  async productStats(productId: string): Promise<ProductStats> {
    return (await this.forward('productStats', { productId })) as ProductStats
  }
  async trending(windowMs: number, k: number): Promise<TrendingEntry[]> {
    return (await this.forward('trending', { windowMs, k })) as TrendingEntry[]
  }
}
