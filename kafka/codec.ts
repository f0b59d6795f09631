// What travels in Kafka message values: requests and jobs (one envelope), replies, and
// trending broadcasts, all JSON. A value that does not decode is a poison message: the
// consumer sends it to the dead-letter topic (kafka/dead-letter.ts) instead of choking on it.
import { z } from 'zod'
import type { WireError } from '../core/errors.ts'
import { TrendingUpdate } from '../core/schemas.ts'

/** A request (review ops, on `<ns>.requests`) or a job (moderate, on `<ns>.jobs`). */
export const Envelope = z
  .object({
    /** Correlation id: the reply carries it back. Unique per send. */
    id: z.string().min(1).max(128),
    op: z.string().min(1).max(64),
    params: z.unknown(),
    /** Where the reply goes: the namespace's reply topic, the partition the client reads, and its id as the key. */
    replyTo: z.string().regex(/^[a-zA-Z0-9._-]{1,249}$/),
    replyPartition: z.number().int().min(0).max(100_000),
    client: z.string().min(1).max(128),
    /** ms since epoch after which the client no longer waits; the server skips the work then. */
    deadline: z.number().int().positive().optional(),
  })
  .strict()
export type Envelope = z.infer<typeof Envelope>

export type Reply = { id: string; ok: unknown } | { id: string; error: WireError }

const ReplyShape = z.union([
  z.object({ id: z.string(), ok: z.unknown() }).strict(),
  z.object({ id: z.string(), error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }) }).strict(),
])

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string }

function decodeJson<T>(buf: Buffer | null, schema: z.ZodType<T>, what: string): Decoded<T> {
  if (!buf || buf.length === 0) return { ok: false, reason: `empty ${what}` }
  let raw: unknown
  try {
    raw = JSON.parse(buf.toString('utf8'))
  } catch (err) {
    return { ok: false, reason: `${what} is not JSON: ${(err as Error).message}` }
  }
  const r = schema.safeParse(raw)
  if (r.success) return { ok: true, value: r.data }
  const issue = r.error.issues[0]
  return { ok: false, reason: `invalid ${what}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}` }
}

export const decodeEnvelope = (buf: Buffer | null) => decodeJson(buf, Envelope, 'envelope')
export const decodeReply = (buf: Buffer | null) => decodeJson(buf, ReplyShape, 'reply') as Decoded<Reply>
export const decodeTrending = (buf: Buffer | null) => decodeJson(buf, TrendingUpdate, 'trending update')

export function encode(v: Envelope | Reply | TrendingUpdate): Buffer {
  return Buffer.from(JSON.stringify(v))
}
