// The review service as every middleware's server runs it: validate the raw params of an
// operation, then run it against a backend. A single node's backend is its own store; a
// worker's backend forwards state operations to its master so reviews stay correct
// whichever node serves a call. Drivers only move `call(op, params)` over their wire.
import { MwlabError, ValidationError, UnknownOperationError } from './errors.ts'
import { Limiter } from './limiter.ts'
import { applyCost, makeCensor, type Censor } from './moderate.ts'
import { ReviewStore } from './review-store.ts'
import {
  isOperationName,
  moderateParamsFast,
  OperationParams,
  type OperationName,
  type ParsedParamsOf,
  type ProductStats,
  type ResultOf,
  type Review,
  type ReviewInput,
  type TrendingEntry,
} from './schemas.ts'

/** Where review state lives. */
export interface ReviewBackend {
  submitReview(input: ReviewInput, requestId?: string): Promise<Review>
  listReviews(productId: string, limit: number): Promise<Review[]>
  productStats(productId: string): Promise<ProductStats>
  trending(windowMs: number, k: number): Promise<TrendingEntry[]>
}

export class LocalBackend implements ReviewBackend {
  constructor(readonly store = new ReviewStore()) {}
  async submitReview(input: ReviewInput, requestId?: string) {
    return this.store.submit(input, requestId)
  }
  async listReviews(productId: string, limit: number) {
    return this.store.list(productId, limit)
  }
  async productStats(productId: string) {
    return this.store.stats(productId)
  }
  async trending(windowMs: number, k: number) {
    return this.store.trending(windowMs, k)
  }
}

/** The operations that read or change review state, which a worker forwards to its master. */
export type StateOperation = Exclude<OperationName, 'moderate'>

/**
 * A worker's backend: each state operation goes, with the params its wire carries, to the
 * node that owns the store. submitReview keeps its requestId, so a client's retry through
 * another worker is still applied once by the owner.
 */
export function forwardingBackend(forward: (op: StateOperation, params: Record<string, unknown>) => Promise<unknown>): ReviewBackend {
  return {
    submitReview: async (input, requestId) => (await forward('submitReview', requestId ? { ...input, requestId } : input)) as Review,
    listReviews: async (productId, limit) => (await forward('listReviews', { productId, limit })) as Review[],
    productStats: async (productId) => (await forward('productStats', { productId })) as ProductStats,
    trending: async (windowMs, k) => (await forward('trending', { windowMs, k })) as TrendingEntry[],
  }
}

/** Validates `params` for `op`; throws ValidationError naming the first bad field. */
export function parseParams<Op extends OperationName>(op: Op, params: unknown): ParsedParamsOf<Op> {
  const schema = OperationParams[op]
  const input = params === undefined ? {} : params
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError('params', 'must be an object')
  }
  if (op === 'moderate') {
    const fast = moderateParamsFast(input as Record<string, unknown>)
    if (fast) return fast as ParsedParamsOf<Op>
  }
  const r = schema.safeParse(input)
  if (!r.success) throw ValidationError.fromZod(r.error)
  return r.data as ParsedParamsOf<Op>
}

export interface ServiceOptions {
  backend?: ReviewBackend
  bannedWords?: readonly string[]
  /** At most this many moderate jobs run at once (NodeOptions.jobConcurrency); unlimited when absent. */
  jobConcurrency?: number
}

export class ReviewService {
  readonly backend: ReviewBackend
  private readonly censor: Censor
  private readonly limiter: Limiter | undefined

  constructor(opts: ServiceOptions = {}) {
    this.backend = opts.backend ?? new LocalBackend()
    this.censor = makeCensor(opts.bannedWords)
    this.limiter = opts.jobConcurrency ? new Limiter(opts.jobConcurrency) : undefined
  }

  /** Runs operation `op` on untrusted params. Throws UnknownOperationError or ValidationError on bad input. */
  async call(op: string, params: unknown): Promise<unknown> {
    if (!isOperationName(op)) throw new UnknownOperationError(op)
    return this.run(op, parseParams(op, params))
  }

  /**
   * A job taken from a queue middleware's work queue: only moderate travels there (it needs
   * no store); anything else is refused the same way on every middleware.
   */
  async callJob(op: string, params: unknown): Promise<unknown> {
    if (op !== 'moderate') throw new MwlabError('UNIMPLEMENTED', `the job queue serves only moderate, not ${op}`)
    return this.call(op, params)
  }

  async run<Op extends OperationName>(op: Op, p: ParsedParamsOf<Op>): Promise<ResultOf[Op]> {
    return (await this.dispatch(op, p)) as ResultOf[Op]
  }

  private async dispatch(op: OperationName, p: ParsedParamsOf<OperationName>): Promise<unknown> {
    switch (op) {
      case 'submitReview': {
        const { requestId, ...input } = p as ParsedParamsOf<'submitReview'>
        return this.backend.submitReview(input, requestId)
      }
      case 'listReviews': {
        const q = p as ParsedParamsOf<'listReviews'>
        return this.backend.listReviews(q.productId, q.limit)
      }
      case 'productStats':
        return this.backend.productStats((p as ParsedParamsOf<'productStats'>).productId)
      case 'trending': {
        const q = p as ParsedParamsOf<'trending'>
        return this.backend.trending(q.windowMs, q.k)
      }
      case 'moderate': {
        const q = p as ParsedParamsOf<'moderate'>
        return this.limiter ? this.limiter.run(() => this.censorJob(q)) : this.censorJob(q)
      }
    }
  }

  private async censorJob(q: ParsedParamsOf<'moderate'>): Promise<unknown> {
    const out = this.censor(q.text)
    await applyCost(q.cost)
    return out
  }
}
