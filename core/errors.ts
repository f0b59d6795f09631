// Typed errors shared by every middleware. Clients map their transport's failures onto
// these, so harnesses and tests can tell a bad request from a dead server from a timeout
// without knowing which middleware they talk to.
import type { ZodError } from 'zod'
import { logError, type Logger } from './log.ts'

export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'UNIMPLEMENTED'
  | 'RESOURCE_EXHAUSTED'
  | 'DEADLINE_EXCEEDED'
  | 'CANCELLED'
  | 'UNAVAILABLE'
  | 'INTERNAL'

export class MwlabError extends Error {
  override name = 'MwlabError'
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
  /** A plain object that crosses any wire; see `errorFromWire`. */
  toWire(): WireError {
    return { code: this.code, message: this.message, field: this instanceof ValidationError ? this.field : undefined }
  }
}

/** Input failed validation; `field` is the dotted path of the first offending field. */
export class ValidationError extends MwlabError {
  override name = 'ValidationError'
  constructor(
    readonly field: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('INVALID_ARGUMENT', field ? `invalid ${field}: ${message}` : message, options)
  }
  static fromZod(err: ZodError): ValidationError {
    const issue = err.issues[0]
    let field = issue?.path.join('.') ?? ''
    if (issue?.code === 'unrecognized_keys') field = [...issue.path, ...issue.keys].join('.')
    return new ValidationError(field, issue?.message ?? 'invalid input', { cause: err })
  }
}

export class UnknownOperationError extends MwlabError {
  override name = 'UnknownOperationError'
  constructor(
    readonly operation: string,
    options?: { cause?: unknown },
  ) {
    super('UNIMPLEMENTED', `unknown operation: ${operation}`, options)
  }
}

export class TooLargeError extends MwlabError {
  override name = 'TooLargeError'
  constructor(message: string, options?: { cause?: unknown }) {
    super('RESOURCE_EXHAUSTED', message, options)
  }
}

export class TimeoutError extends MwlabError {
  override name = 'TimeoutError'
  constructor(message: string, options?: { cause?: unknown }) {
    super('DEADLINE_EXCEEDED', message, options)
  }
}

export class CancelledError extends MwlabError {
  override name = 'CancelledError'
  constructor(message = 'call cancelled', options?: { cause?: unknown }) {
    super('CANCELLED', message, options)
  }
}

/** The server (or every server) could not be reached; safe to retry with the same requestId. */
export class UnavailableError extends MwlabError {
  override name = 'UnavailableError'
  constructor(message: string, options?: { cause?: unknown }) {
    super('UNAVAILABLE', message, options)
  }
}

/** The server failed while handling a valid request. Never carries a stack trace over the wire. */
export class InternalError extends MwlabError {
  override name = 'InternalError'
  constructor(message = 'internal error', options?: { cause?: unknown }) {
    super('INTERNAL', message, options)
  }
}

export interface WireError {
  code: ErrorCode
  message: string
  field?: string
}

const UNKNOWN_OPERATION = /^unknown operation: /

/** Rebuilds the typed error a server sent as a `WireError` (from any middleware's wire); `cause` is what carried it. */
export function errorFromWire(w: WireError, cause?: unknown): MwlabError {
  const o = cause === undefined ? undefined : { cause }
  switch (w.code) {
    case 'INVALID_ARGUMENT':
      return new ValidationError(w.field ?? '', w.field ? w.message.replace(`invalid ${w.field}: `, '') : w.message, o)
    case 'UNIMPLEMENTED':
      return UNKNOWN_OPERATION.test(w.message) ? new UnknownOperationError(w.message.replace(UNKNOWN_OPERATION, ''), o) : new MwlabError('UNIMPLEMENTED', w.message, o)
    case 'RESOURCE_EXHAUSTED':
      return new TooLargeError(w.message, o)
    case 'DEADLINE_EXCEEDED':
      return new TimeoutError(w.message, o)
    case 'CANCELLED':
      return new CancelledError(w.message, o)
    case 'UNAVAILABLE':
      return new UnavailableError(w.message, o)
    default:
      return new InternalError(w.message || 'internal error', o)
  }
}

/** Whatever was thrown, as an MwlabError; unknown failures become INTERNAL without leaking details. */
export function toMwlabError(err: unknown): MwlabError {
  if (err instanceof MwlabError) return err
  return new InternalError('internal error', { cause: err })
}

/**
 * What a server answers for anything `what` threw, on every wire: the typed error. An
 * unexpected failure is logged here, with its cause; its caller only learns INTERNAL.
 */
export function errorForReply(err: unknown, log: Pick<Logger, 'error'>, what: string): MwlabError {
  const e = toMwlabError(err)
  if (e.code === 'INTERNAL') logError(log, `${what} failed`, err)
  return e
}
