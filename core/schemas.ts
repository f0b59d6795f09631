// The domain of DESIGN section 1, as zod schemas: every boundary (RPC params, queue
// messages, CLI input) validates with these, so all middlewares reject the same input
// with the same field-naming error.
import { z } from 'zod'

export const MAX_TEXT_BYTES = 4096

const text = z
  .string()
  .refine((s) => Buffer.byteLength(s, 'utf8') <= MAX_TEXT_BYTES, { message: `must be at most ${MAX_TEXT_BYTES} bytes` })

/** Amazon-style ASIN: 10 upper-case letters or digits. */
export const productId = z.string().regex(/^[A-Z0-9]{10}$/, 'must be a 10-character ASIN (A-Z, 0-9)')

export const ReviewInput = z
  .object({
    productId,
    reviewerId: z.string().min(1).max(64),
    rating: z.number().int().min(1).max(5),
    text,
    /** ms since epoch; the service stamps the time of receipt when absent */
    ts: z.number().int().nonnegative().optional(),
  })
  .strict()
export type ReviewInput = z.infer<typeof ReviewInput>

export const Review = ReviewInput.extend({ id: z.string(), ts: z.number().int() })
export type Review = z.infer<typeof Review>

export const Cost = z
  .object({
    /** real CPU burnt per job (hashing in a loop), in microseconds */
    cpuMicros: z.number().int().min(0).max(1_000_000).default(0),
    /** time waited per job, as on a slow downstream call, in milliseconds */
    ioMillis: z.number().int().min(0).max(60_000).default(0),
  })
  .strict()
export type Cost = z.infer<typeof Cost>
export type CostInput = z.input<typeof Cost>

export const ProductStats = z.object({ productId, count: z.number().int(), meanRating: z.number() })
export type ProductStats = z.infer<typeof ProductStats>

export const TrendingEntry = z.object({ productId, count: z.number().int(), meanRating: z.number() })
export type TrendingEntry = z.infer<typeof TrendingEntry>

export const TrendingUpdate = z.object({ seq: z.number().int(), at: z.number().int(), top: z.array(TrendingEntry) })
export type TrendingUpdate = z.infer<typeof TrendingUpdate>

export const Moderated = z.object({ text: z.string(), hits: z.number().int() })
export type Moderated = z.infer<typeof Moderated>

/** Client-supplied id that makes a retried call idempotent (failover, redelivery). */
const requestId = z.string().min(1).max(128).optional()

/** Parameters of every request/reply and job operation, keyed by operation name. */
export const OperationParams = {
  submitReview: ReviewInput.extend({ requestId }).strict(),
  listReviews: z.object({ productId, limit: z.number().int().min(1).max(1000).default(20) }).strict(),
  productStats: z.object({ productId }).strict(),
  trending: z
    .object({ windowMs: z.number().int().min(1).max(86_400_000).default(60_000), k: z.number().int().min(1).max(100).default(5) })
    .strict(),
  moderate: z.object({ text, cost: Cost.optional(), requestId }).strict(),
} as const

export type OperationName = keyof typeof OperationParams
export const OPERATION_NAMES = Object.keys(OperationParams) as OperationName[]
export type ParamsOf<Op extends OperationName> = z.input<(typeof OperationParams)[Op]>
export type ParsedParamsOf<Op extends OperationName> = z.output<(typeof OperationParams)[Op]>

export interface ResultOf {
  submitReview: Review
  listReviews: Review[]
  productStats: ProductStats
  trending: TrendingEntry[]
  moderate: Moderated
}

export function isOperationName(s: string): s is OperationName {
  return Object.prototype.hasOwnProperty.call(OperationParams, s)
}
