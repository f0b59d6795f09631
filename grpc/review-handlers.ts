// The ReviewService handlers: every unary call goes through ReviewService.call(op, params),
// so validation (and its field-naming errors) is the one all middlewares share.
import type { AsyncLocalStorage } from 'node:async_hooks'
import type * as grpc from '@grpc/grpc-js'
import type { Logger } from '../core/log.ts'
import type { OperationName } from '../core/schemas.ts'
import type { ReviewService } from '../core/service.ts'
import type { ReviewServiceHandlers } from './generated/mwlab/ReviewService.ts'
import type { ParentCall } from './remote-backend.ts'
import { toStatus } from './status.ts'
import { presentFields, toReply } from './wire.ts'

export interface ReviewHandlersOptions {
  service: ReviewService
  /** Subscribe: a hub on the node owning the store, a relay on a worker (see subscribers.ts). */
  subscribe: ReviewServiceHandlers['Subscribe']
  /** ModerateStream, the clients' batch mode (see moderate-stream.ts). */
  moderateStream: ReviewServiceHandlers['ModerateStream']
  /**
   * Set on workers: each call runs inside it, so the calls its backend forwards to the
   * master inherit this call's deadline and cancellation.
   */
  scope?: AsyncLocalStorage<ParentCall>
  log: Logger
}

export function reviewHandlers(o: ReviewHandlersOptions): ReviewServiceHandlers {
  function unary<Req extends object, Res>(op: OperationName): grpc.handleUnaryCall<Req, Res> {
    return (call, callback) => {
      const params = presentFields(call.request)
      const run = () => o.service.call(op, params)
      const pending = o.scope ? o.scope.run(call, run) : run()
      pending.then(
        (result) => callback(null, toReply(op, result) as Res),
        (err: unknown) => callback(toStatus(err, o.log)),
      )
    }
  }
  return {
    SubmitReview: unary('submitReview'),
    ListReviews: unary('listReviews'),
    ProductStats: unary('productStats'),
    Trending: unary('trending'),
    Moderate: unary('moderate'),
    ModerateStream: o.moderateStream,
    Subscribe: o.subscribe,
  }
}
