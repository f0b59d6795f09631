// What travels over the JSON-RPC wire, shared by server and client: limits, paths, the
// shape check of a request, and the mapping between mwlab's typed errors and JSON-RPC
// error objects. Every error carries `data.code` (an mwlab ErrorCode) so the client can
// rebuild the exact class, and `data.field` for validation errors.
import { JSONRPCErrorCode, type JSONRPCError, type JSONRPCID } from 'json-rpc-2.0'
import {
  errorFromWire,
  InternalError,
  type MwlabError,
  UnknownOperationError,
  ValidationError,
  type ErrorCode,
} from '../core/errors.ts'

/** Largest request body a node reads; bigger ones get HTTP 413 without being buffered. */
export const MAX_BODY_BYTES = 1024 * 1024
/** Largest JSON-RPC batch a node accepts. */
export const MAX_BATCH = 100
export const RPC_PATH = '/'
export const SUBSCRIBE_PATH = '/subscribe'

/** JSON-RPC reserves -32000..-32099 for server errors: used for mwlab codes with no standard code. */
const SERVER_ERROR = -32000

export interface ErrorData {
  code: ErrorCode
  field?: string
}

const ERROR_CODES = new Set<string>([
  'INVALID_ARGUMENT',
  'UNIMPLEMENTED',
  'RESOURCE_EXHAUSTED',
  'DEADLINE_EXCEEDED',
  'CANCELLED',
  'UNAVAILABLE',
  'INTERNAL',
])

export function rpcError(code: number, message: string, data: ErrorData): JSONRPCError {
  return { code, message, data }
}

/** A typed error (core errorForReply's) as a JSON-RPC error object. INTERNAL becomes -32603 with no details. */
export function toRpcError(err: MwlabError): JSONRPCError {
  if (err instanceof ValidationError) return rpcError(JSONRPCErrorCode.InvalidParams, err.message, { code: err.code, field: err.field })
  switch (err.code) {
    case 'UNIMPLEMENTED':
      return rpcError(JSONRPCErrorCode.MethodNotFound, err.message, { code: err.code })
    case 'INTERNAL':
      return rpcError(JSONRPCErrorCode.InternalError, 'internal error', { code: err.code })
    default:
      return rpcError(SERVER_ERROR, err.message, { code: err.code })
  }
}

/** Rebuilds the typed error from a JSON-RPC error object; `method` names an unknown operation. */
export function fromRpcError(e: JSONRPCError, method: string): MwlabError {
  const data = (typeof e.data === 'object' && e.data !== null ? e.data : {}) as Partial<ErrorData>
  const field = typeof data.field === 'string' ? data.field : undefined
  if (e.code === JSONRPCErrorCode.MethodNotFound) return new UnknownOperationError(method)
  if (typeof data.code === 'string' && ERROR_CODES.has(data.code)) return errorFromWire({ code: data.code, message: e.message, field })
  switch (e.code) {
    case JSONRPCErrorCode.InvalidParams:
      return errorFromWire({ code: 'INVALID_ARGUMENT', message: e.message, field })
    case JSONRPCErrorCode.ParseError:
    case JSONRPCErrorCode.InvalidRequest:
      return new ValidationError('', e.message)
    default:
      return new InternalError(e.message)
  }
}

export function isRpcId(id: unknown): id is JSONRPCID {
  return typeof id === 'string' || typeof id === 'number' || id === null
}

/** The JSON-RPC 2.0 request object shape (section 4), stricter than the library's own check. */
export function isValidRequest(p: unknown): p is { jsonrpc: '2.0'; method: string; params?: unknown; id?: JSONRPCID } {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return false
  const r = p as Record<string, unknown>
  if (r.jsonrpc !== '2.0' || typeof r.method !== 'string') return false
  if ('id' in r && !isRpcId(r.id)) return false
  if ('params' in r && (typeof r.params !== 'object' || r.params === null)) return false
  return true
}

/** The id to answer an invalid request with: its own when readable, else null (spec section 5). */
export function idOf(p: unknown): JSONRPCID {
  const id = typeof p === 'object' && p !== null ? (p as { id?: unknown }).id : null
  return isRpcId(id) ? id : null
}
