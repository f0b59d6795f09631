// What travels in Kafka message values: requests and jobs (one envelope), replies, and
// trending broadcasts, all JSON. A value that does not decode is a poison message: the
// consumer sends it to the dead-letter topic (kafka/dead-letter.ts) instead of choking on it.
import { z } from 'zod'
import type { WireError } from '../core/errors.ts'
import { TrendingUpdate } from '../core/schemas.ts'
import { deadlineProblem, idOpProblem, isObject, stringProblem, unknownFieldProblem } from '../core/wire-checks.ts'

/** A request (review ops, on `<ns>.requests`) or a job (moderate, on `<ns>.jobs`). */
export interface Envelope {
  /** Correlation id: the reply carries it back. Unique per send. */
  id: string
  op: string
  params: unknown
  /** Where the reply goes: the namespace's reply topic, the partition the client reads, and its id as the key. */
  replyTo: string
  replyPartition: number
  client: string
  /** ms since epoch after which the client no longer waits; the server skips the work then. */
  deadline?: number
}

export type Reply = { id: string; ok: unknown } | { id: string; error: WireError }

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string }

// Envelopes and replies are checked by hand (core/wire-checks.ts), not by zod: one of each
// per call, and zod took 1.5 µs of the 4 µs an envelope cost to decode (`npm run bench:micro`).
// The parameters inside are still validated by the service's schemas.
const TOPIC_RE = /^[a-zA-Z0-9._-]{1,249}$/
const ENVELOPE_KEYS = new Set(['id', 'op', 'params', 'replyTo', 'replyPartition', 'client', 'deadline'])

/** The first thing wrong with an envelope, as "field: problem", or undefined when it is one. */
function envelopeProblem(v: unknown): string | undefined {
  if (!isObject(v)) return '(root): not an object'
  const idOp = idOpProblem(v)
  if (idOp) return idOp
  if (typeof v.replyTo !== 'string' || !TOPIC_RE.test(v.replyTo)) return `replyTo: must match ${TOPIC_RE}`
  if (!Number.isInteger(v.replyPartition) || (v.replyPartition as number) < 0 || (v.replyPartition as number) > 100_000) return 'replyPartition: must be an integer of 0..100000'
  return stringProblem(v, 'client', 1, 128) ?? (v.deadline === undefined ? undefined : deadlineProblem(v.deadline)) ?? unknownFieldProblem(v, ENVELOPE_KEYS)
}

const OK_KEYS = new Set(['id', 'ok'])
const ERROR_KEYS = new Set(['id', 'error'])
const WIRE_ERROR_KEYS = new Set(['code', 'message', 'field'])

function replyProblem(v: unknown): string | undefined {
  if (!isObject(v)) return '(root): not an object'
  if (typeof v.id !== 'string') return 'id: must be a string'
  if (!('error' in v)) return unknownFieldProblem(v, OK_KEYS)
  const e = v.error
  if (!isObject(e) || typeof e.code !== 'string' || typeof e.message !== 'string' || (e.field !== undefined && typeof e.field !== 'string')) {
    return 'error: must be { code, message, field? } of strings'
  }
  return unknownFieldProblem(v, ERROR_KEYS) ?? unknownFieldProblem(e, WIRE_ERROR_KEYS)
}

function parseJson(buf: Buffer | null, what: string): Decoded<unknown> {
  if (!buf || buf.length === 0) return { ok: false, reason: `empty ${what}` }
  try {
    return { ok: true, value: JSON.parse(buf.toString('utf8')) }
  } catch (err) {
    return { ok: false, reason: `${what} is not JSON: ${(err as Error).message}` }
  }
}

function decodeChecked<T>(buf: Buffer | null, what: string, problem: (v: unknown) => string | undefined): Decoded<T> {
  const d = parseJson(buf, what)
  if (!d.ok) return d
  const p = problem(d.value)
  return p === undefined ? { ok: true, value: d.value as T } : { ok: false, reason: `invalid ${what}: ${p}` }
}

function decodeJson<T>(buf: Buffer | null, schema: z.ZodType<T>, what: string): Decoded<T> {
  const d = parseJson(buf, what)
  if (!d.ok) return d
  const r = schema.safeParse(d.value)
  if (r.success) return { ok: true, value: r.data }
  const issue = r.error.issues[0]
  return { ok: false, reason: `invalid ${what}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}` }
}

export const decodeEnvelope = (buf: Buffer | null) => decodeChecked<Envelope>(buf, 'envelope', envelopeProblem)
export const decodeReply = (buf: Buffer | null) => decodeChecked<Reply>(buf, 'reply', replyProblem)
export const decodeTrending = (buf: Buffer | null) => decodeJson(buf, TrendingUpdate, 'trending update')

export function encode(v: Envelope | Reply | TrendingUpdate): Buffer {
  return Buffer.from(JSON.stringify(v))
}
