// A worker's review state lives on its master: each state operation is one JSON-RPC call
// straight to the master (not through any balancer).
import { TimeoutError } from '../core/errors.ts'
import { forwardingBackend, type ReviewBackend } from '../core/service.ts'
import type { RpcEndpoint } from './http-call.ts'

const FORWARD_TIMEOUT_MS = 10_000

export function masterBackend(master: RpcEndpoint): ReviewBackend {
  return forwardingBackend((method, params) => {
    const signal = AbortSignal.timeout(FORWARD_TIMEOUT_MS)
    return master.call(method, params, signal).catch((err: unknown) => {
      if (signal.aborted) throw new TimeoutError(`${method} on the master timed out after ${FORWARD_TIMEOUT_MS} ms`, { cause: err })
      throw err
    })
  })
}
