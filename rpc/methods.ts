// The JSON-RPC method table of a node: the review operations (dispatched through
// ReviewService.call, which validates) and the `cluster.*` methods a master answers for
// its workers and clients. Error objects are built by wire.ts so every failure carries
// an mwlab code; only unexpected failures are logged, with their stack, here and never
// sent.
import { createJSONRPCErrorResponse, JSONRPCErrorCode, JSONRPCServer, type JSONRPCRequest, type JSONRPCResponse } from 'json-rpc-2.0'
import { z } from 'zod'
import { errorForReply, ValidationError } from '../core/errors.ts'
import { createLogger } from '../core/log.ts'
import { OPERATION_NAMES } from '../core/schemas.ts'
import type { ReviewService } from '../core/service.ts'
import type { WorkerInfo } from '../core/contract.ts'
import { toRpcError } from './wire.ts'

const log = createLogger('rpc')

/** What a master does for `cluster.*` calls; single and worker nodes have none of them. */
export interface ClusterControl {
  workers?(): WorkerInfo[]
  register?(w: { id: string; address: string; pid?: number }): void
  /** false: unknown worker (e.g. evicted), which should register again. */
  heartbeat?(id: string): boolean
  deregister?(id: string): void
}

const WorkerId = z.object({ id: z.string().min(1).max(128) }).strict()
const Registration = z
  .object({ id: z.string().min(1).max(128), address: z.string().url(), pid: z.number().int().positive().optional() })
  .strict()

function parse<T>(schema: z.ZodType<T>, params: unknown): T {
  const r = schema.safeParse(params ?? {})
  if (!r.success) throw ValidationError.fromZod(r.error)
  return r.data
}

export function buildRpcServer(service: ReviewService, cluster: ClusterControl): JSONRPCServer {
  // The library logs every thrown error with console.warn by default; a bad param is not
  // worth a log line on the hot path, so logging happens in the mapper below instead.
  const server = new JSONRPCServer({ errorListener: () => {} })
  server.mapErrorToJSONRPCErrorResponse = (id, err) => {
    const e = toRpcError(errorForReply(err, log, 'handler'))
    return createJSONRPCErrorResponse(id, e.code, e.message, e.data)
  }
  server.handleMethodNotFound = (async (request: JSONRPCRequest): Promise<JSONRPCResponse | null> => {
    if (request.id === undefined) return null
    return createJSONRPCErrorResponse(request.id, JSONRPCErrorCode.MethodNotFound, `unknown operation: ${request.method}`, { code: 'UNIMPLEMENTED' })
  }) as JSONRPCServer['handleMethodNotFound']

  for (const op of OPERATION_NAMES) server.addMethod(op, (params) => service.call(op, params))

  const { workers, register, heartbeat, deregister } = cluster
  if (workers) server.addMethod('cluster.workers', () => workers())
  if (register) {
    server.addMethod('cluster.register', (params) => {
      register(parse(Registration, params))
      return { ok: true }
    })
  }
  if (heartbeat) server.addMethod('cluster.heartbeat', (params) => ({ known: heartbeat(parse(WorkerId, params).id) }))
  if (deregister) {
    server.addMethod('cluster.deregister', (params) => {
      deregister(parse(WorkerId, params).id)
      return { ok: true }
    })
  }
  return server
}
