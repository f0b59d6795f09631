// What travels through the lists. Requests and jobs share one envelope; replies carry the
// request id and either a result or a WireError. Decoding never throws: a message that is
// not JSON or not an envelope is poison and goes to the dead list with the reason.
import type { WireError } from '../core/errors.ts'
import { deadlineProblem, idOpProblem, isObject, unknownFieldProblem } from '../core/wire-checks.ts'

/** Larger messages are refused by the client (TooLargeError) and dead-lettered by servers. */
export const MAX_MESSAGE_BYTES = 1 << 20

const CLIENT_ID_RE = /^[A-Za-z0-9_-]{1,64}$/

/** A request or job. Checked by hand, not by zod: it is on the hot path of every call. */
export interface Envelope {
  id: string
  op: string
  params: unknown
  /** the client's id; the reply goes to `<ns>:reply:<replyTo>` */
  replyTo: string
  /** absolute deadline, ms since epoch: later a reply is useless, so the job is dropped */
  deadline: number
}

const ENVELOPE_KEYS = new Set(['id', 'op', 'params', 'replyTo', 'deadline'])

/** The first thing wrong with an envelope, or undefined when it is one. */
function envelopeProblem(v: unknown): string | undefined {
  if (!isObject(v)) return 'not an object'
  const idOp = idOpProblem(v)
  if (idOp) return idOp
  if (typeof v.replyTo !== 'string' || !CLIENT_ID_RE.test(v.replyTo)) return `replyTo: must match ${CLIENT_ID_RE}`
  return deadlineProblem(v.deadline) ?? unknownFieldProblem(v, ENVELOPE_KEYS)
}

export type Reply = { id: string; ok: true; result: unknown } | { id: string; ok: false; error: WireError }

/**
 * A message (envelope or reply) as the bytes handed to ioredis. Not a string: with
 * auto-pipelining ioredis joins a tick's string commands into one string by concatenation,
 * and writing that to the socket cost more than encoding each message once (README,
 * "Measured on this machine").
 */
export function encodeMessage(v: Envelope | Reply): Buffer {
  return Buffer.from(JSON.stringify(v))
}

export type Decoded = { ok: true; msg: Envelope } | { ok: false; reason: string }

export function decodeEnvelope(raw: string): Decoded {
  if (raw.length > MAX_MESSAGE_BYTES) return { ok: false, reason: `message too large (${raw.length} bytes)` }
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch (err) {
    // JSON.parse quotes the input; control characters would garble logs and terminals.
    return { ok: false, reason: `invalid JSON: ${(err as Error).message.replace(/\p{Cc}/gu, '?')}` }
  }
  const problem = envelopeProblem(json)
  if (problem) return { ok: false, reason: `invalid envelope: ${problem}` }
  return { ok: true, msg: json as Envelope }
}

/** A dead-list entry; `raw` is cut so one huge poison message cannot bloat the list. */
export function deadEntry(raw: string, reason: string): string {
  return JSON.stringify({ raw: raw.length > 4096 ? raw.slice(0, 4096) + '…' : raw, reason, at: Date.now() })
}

export const DEAD_LIST_CAP = 10_000
