// Wire format: a request body is JSON `{op, params}` with `replyTo` + `correlationId` as
// AMQP properties; a reply body is JSON `{ok: true, result}` or `{ok: false, error: WireError}`.
import { errorFromWire, InternalError, type MwlabError, type WireError } from '../core/errors.ts'

export interface Envelope {
  op: string
  params: Record<string, unknown>
}

/** Thrown for a message that cannot be decoded: it is poison, not a bad request. */
export class UndecodableError extends Error {
  override name = 'UndecodableError'
}

export function encodeRequest(op: string, params: Record<string, unknown>): Buffer {
  return Buffer.from(JSON.stringify({ op, params }))
}

export function decodeRequest(body: Buffer): Envelope {
  let v: unknown
  try {
    v = JSON.parse(body.toString('utf8'))
  } catch (err) {
    throw new UndecodableError('body is not JSON', { cause: err })
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UndecodableError('body is not a JSON object')
  const { op, params } = v as { op?: unknown; params?: unknown }
  if (typeof op !== 'string' || op.length === 0 || op.length > 64) throw new UndecodableError('op is missing or not a short string')
  if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) {
    throw new UndecodableError('params is not an object')
  }
  return { op, params: (params ?? {}) as Record<string, unknown> }
}

export function encodeResult(result: unknown): Buffer {
  return Buffer.from(JSON.stringify({ ok: true, result }))
}

export function encodeError(err: MwlabError): Buffer {
  return Buffer.from(JSON.stringify({ ok: false, error: err.toWire() }))
}

export type Reply = { ok: true; result: unknown } | { ok: false; error: MwlabError }

export function decodeReply(body: Buffer): Reply {
  try {
    const v = JSON.parse(body.toString('utf8')) as { ok?: unknown; result?: unknown; error?: WireError }
    if (v.ok === true) return { ok: true, result: v.result }
    if (v.ok === false && v.error && typeof v.error.code === 'string') return { ok: false, error: errorFromWire(v.error) }
  } catch (err) {
    return { ok: false, error: new InternalError('undecodable reply', { cause: err }) }
  }
  return { ok: false, error: new InternalError('malformed reply') }
}
