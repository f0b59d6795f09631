// MwlabError <-> gRPC status. Servers answer with a status code, the error's message as
// details (never a stack) and the offending field in metadata; clients rebuild the typed
// error of core/errors.ts from them.
import * as grpc from '@grpc/grpc-js'
import { errorForReply, errorFromWire, InternalError, MwlabError, ValidationError, type ErrorCode } from '../core/errors.ts'
import type { Logger } from '../core/log.ts'
import { FIELD_METADATA_KEY } from './proto.ts'

const STATUS_OF: Record<ErrorCode, grpc.status> = {
  INVALID_ARGUMENT: grpc.status.INVALID_ARGUMENT,
  UNIMPLEMENTED: grpc.status.UNIMPLEMENTED,
  RESOURCE_EXHAUSTED: grpc.status.RESOURCE_EXHAUSTED,
  DEADLINE_EXCEEDED: grpc.status.DEADLINE_EXCEEDED,
  CANCELLED: grpc.status.CANCELLED,
  UNAVAILABLE: grpc.status.UNAVAILABLE,
  INTERNAL: grpc.status.INTERNAL,
}

/** What a handler sends for anything it threw; unexpected failures are logged here and sent as a bare INTERNAL. */
export function toStatus(err: unknown, log: Logger): Partial<grpc.StatusObject> {
  const e = errorForReply(err, log, 'handler')
  const metadata = new grpc.Metadata()
  if (e instanceof ValidationError && e.field) metadata.set(FIELD_METADATA_KEY, e.field)
  return { code: STATUS_OF[e.code], details: e.message, metadata }
}

function isServiceError(err: unknown): err is grpc.ServiceError {
  return err instanceof Error && typeof (err as Partial<grpc.ServiceError>).code === 'number'
}

const CODE_OF = new Map<grpc.status, ErrorCode>(Object.entries(STATUS_OF).map(([code, status]) => [status, code as ErrorCode]))

/** The typed error for a failed call (the same mapping as every other wire, core/errors.ts); the grpc-js error is kept as `cause`. */
export function fromStatus(err: unknown): MwlabError {
  if (err instanceof MwlabError) return err
  if (!isServiceError(err)) return new InternalError('grpc client failure', { cause: err })
  const field = err.code === grpc.status.INVALID_ARGUMENT ? String(err.metadata?.get(FIELD_METADATA_KEY)[0] ?? '') : ''
  return errorFromWire({ code: CODE_OF.get(err.code) ?? 'INTERNAL', message: err.details || err.message, field: field || undefined }, err)
}
