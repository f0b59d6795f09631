// MwlabError <-> gRPC status. Servers answer with a status code, the error's message as
// details (never a stack) and the offending field in metadata; clients rebuild the typed
// error of core/errors.ts from them.
import * as grpc from '@grpc/grpc-js'
import {
  CancelledError,
  InternalError,
  MwlabError,
  TimeoutError,
  TooLargeError,
  toMwlabError,
  UnavailableError,
  ValidationError,
  type ErrorCode,
} from '../core/errors.ts'
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
  const e = toMwlabError(err)
  if (e.code === 'INTERNAL') log.error('handler failed', e.cause ?? e)
  const metadata = new grpc.Metadata()
  if (e instanceof ValidationError && e.field) metadata.set(FIELD_METADATA_KEY, e.field)
  return { code: STATUS_OF[e.code], details: e.message, metadata }
}

function isServiceError(err: unknown): err is grpc.ServiceError {
  return err instanceof Error && typeof (err as Partial<grpc.ServiceError>).code === 'number'
}

/** The typed error for a failed call; the grpc-js error is kept as `cause`. */
export function fromStatus(err: unknown): MwlabError {
  if (err instanceof MwlabError) return err
  if (!isServiceError(err)) return new InternalError('grpc client failure', { cause: err })
  const details = err.details || err.message
  const cause = { cause: err }
  switch (err.code) {
    case grpc.status.INVALID_ARGUMENT: {
      const field = String(err.metadata?.get(FIELD_METADATA_KEY)[0] ?? '')
      return new ValidationError(field, field ? details.replace(`invalid ${field}: `, '') : details, cause)
    }
    case grpc.status.UNIMPLEMENTED:
      return new MwlabError('UNIMPLEMENTED', details, cause)
    case grpc.status.RESOURCE_EXHAUSTED:
      return new TooLargeError(details, cause)
    case grpc.status.DEADLINE_EXCEEDED:
      return new TimeoutError(details, cause)
    case grpc.status.CANCELLED:
      return new CancelledError(details, cause)
    case grpc.status.UNAVAILABLE:
      return new UnavailableError(details, cause)
    default:
      return new InternalError(details || 'internal error', cause)
  }
}
