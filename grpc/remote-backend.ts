// A worker's ReviewBackend: the state operations run on the master, which owns the store.
// Forwarded calls inherit the deadline and cancellation of the client call being served
// (grpc-js `parent` propagation), so a worker never keeps working for a caller who left.
import type { AsyncLocalStorage } from 'node:async_hooks'
import * as grpc from '@grpc/grpc-js'
import { DEFAULT_TIMEOUT_MS } from '../core/client.ts'
import { forwardingBackend, type ReviewBackend } from '../core/service.ts'
import type { ReviewServiceClient } from './generated/mwlab/ReviewService.ts'
import { callUnary } from './wire.ts'

/** A server call whose deadline and cancellation a forwarded call inherits. */
export type ParentCall = NonNullable<grpc.CallOptions['parent']>

export function remoteBackend(master: ReviewServiceClient, scope: AsyncLocalStorage<ParentCall>): ReviewBackend {
  return forwardingBackend((op, params) => {
    const parent = scope.getStore()
    const options: grpc.CallOptions = { deadline: Date.now() + DEFAULT_TIMEOUT_MS }
    if (parent) Object.assign(options, { parent, propagate_flags: grpc.propagate.DEFAULTS })
    return callUnary(master, op, params, options)
  })
}
