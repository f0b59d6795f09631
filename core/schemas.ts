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

/**
 * moderate's params exactly as `OperationParams.moderate` parses them, checked by hand; undefined
 * for anything the check does not accept outright, which then goes to zod (for the error that
 * names the field). moderate is every harness's hot operation, and zod took 4.7 µs of a 20 µs
 * job (`npm run bench:micro`). core/schemas.test.ts holds the two to the same answers.
 */
export function moderateParamsFast(v: Record<string, unknown>): z.output<typeof OperationParams.moderate> | undefined {
  for (const k of Object.keys(v)) if (k !== 'text' && k !== 'requestId' && k !== 'cost') return undefined
  const { text, requestId, cost } = v
  if (typeof text !== 'string') return undefined
  // A UTF-16 unit is at most 3 UTF-8 bytes: only longer texts need counting.
  if (text.length * 3 > MAX_TEXT_BYTES && Buffer.byteLength(text, 'utf8') > MAX_TEXT_BYTES) return undefined
  if (requestId !== undefined && (typeof requestId !== 'string' || requestId.length < 1 || requestId.length > 128)) return undefined
  const out: z.output<typeof OperationParams.moderate> = { text }
  if ('requestId' in v) out.requestId = requestId as string | undefined
  if (cost !== undefined) {
    const c = costFast(cost)
    if (!c) return undefined
    out.cost = c
  } else if ('cost' in v) out.cost = undefined
  return out
}

function costFast(v: unknown): Cost | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined
  const c = v as Record<string, unknown>
  for (const k of Object.keys(c)) if (k !== 'cpuMicros' && k !== 'ioMillis') return undefined
  const cpuMicros = c.cpuMicros ?? 0
  const ioMillis = c.ioMillis ?? 0
  if (!Number.isInteger(cpuMicros) || (cpuMicros as number) < 0 || (cpuMicros as number) > 1_000_000) return undefined
  if (!Number.isInteger(ioMillis) || (ioMillis as number) < 0 || (ioMillis as number) > 60_000) return undefined
  return { cpuMicros: cpuMicros as number, ioMillis: ioMillis as number }
}

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
