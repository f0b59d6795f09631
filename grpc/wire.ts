// Operations <-> proto messages, shared by clients and servers. Requests use proto3
// `optional` fields, so a decoded request holds exactly the fields the caller set (plus
// the loader's virtual `_field` oneof markers, which are dropped here): a missing
// productId stays missing instead of becoming "", and rating 0 stays 0, for the shared
// validation to reject by name.
import type * as grpc from '@grpc/grpc-js'
import { onAbort, type Abortable } from '../core/abortable.ts'
import type { OperationName } from '../core/schemas.ts'
import type { ListReviewsRequest } from './generated/mwlab/ListReviewsRequest.ts'
import type { ModerateRequest } from './generated/mwlab/ModerateRequest.ts'
import type { ProductStatsRequest } from './generated/mwlab/ProductStatsRequest.ts'
import type { ReviewServiceClient } from './generated/mwlab/ReviewService.ts'
import type { SubmitReviewRequest } from './generated/mwlab/SubmitReviewRequest.ts'
import type { TrendingRequest } from './generated/mwlab/TrendingRequest.ts'
import { fromStatus } from './status.ts'

/** The fields a decoded request really carries, as the params object of core/schemas.ts. */
export function presentFields(msg: object): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(msg)) {
    if (k.startsWith('_')) continue // virtual oneof of an `optional` field
    out[k] = v !== null && typeof v === 'object' && !Array.isArray(v) ? presentFields(v) : v
  }
  return out
}

/** Reply message of an operation's result: lists travel wrapped in a message. */
export function toReply(op: OperationName, result: unknown): object {
  if (op === 'listReviews') return { reviews: result }
  if (op === 'trending') return { entries: result }
  return result as object
}

type Callback = (err: grpc.ServiceError | null, value?: unknown) => void
type Invoke = (stub: ReviewServiceClient, req: Record<string, unknown>, opts: grpc.CallOptions, cb: Callback) => grpc.ClientUnaryCall

/** One typed stub call per operation, its reply unwrapped to the result type of core/schemas.ts. */
const INVOKE: Record<OperationName, Invoke> = {
  submitReview: (s, r, o, cb) => s.SubmitReview(r as SubmitReviewRequest, o, cb),
  listReviews: (s, r, o, cb) => s.ListReviews(r as ListReviewsRequest, o, (e, v) => cb(e, v?.reviews)),
  productStats: (s, r, o, cb) => s.ProductStats(r as ProductStatsRequest, o, cb),
  trending: (s, r, o, cb) => s.Trending(r as TrendingRequest, o, (e, v) => cb(e, v?.entries)),
  moderate: (s, r, o, cb) => s.Moderate(r as ModerateRequest, o, cb),
}

/** One unary call; an abort cancels it on the wire. Rejects with a typed MwlabError. */
export function callUnary(
  stub: ReviewServiceClient,
  op: OperationName,
  params: Record<string, unknown>,
  options: grpc.CallOptions,
  abort?: Abortable,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let forget: (() => void) | undefined = undefined // set once the call exists; until then there is nothing to forget
    const call = INVOKE[op](stub, params, options, (err, value) => {
      forget?.()
      if (err) reject(fromStatus(err))
      else resolve(value)
    })
    forget = onAbort(abort, () => call.cancel())
  })
}
