// Replays a JSON-lines file in the public Amazon review format (one object per line with
// reviewerID, asin, overall, reviewText, unixReviewTime; `.gz` files are gunzipped on the
// fly) as ReviewInputs, streaming line by line. A bad line is skipped, counted by reason
// and reported to `onSkip`; it never stops the replay. Mapping:
//   asin -> productId (trimmed, upper-cased)   reviewerID -> reviewerId
//   overall -> rating (1..5, rounded)           reviewText -> text (cut to 4 KiB at a UTF-8 boundary; absent: "")
//   unixReviewTime (s) -> ts (ms; absent: the service stamps the time of receipt)
import { open } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { pace, type Paced, type PaceOptions } from './pace.ts'
import { MAX_TEXT_BYTES, ReviewInput } from './schemas.ts'

export interface ReplayStats {
  /** Lines read, blank ones included. */
  lines: number
  /** Lines mapped to a valid ReviewInput. */
  valid: number
  /** Blank lines, ignored without counting as skipped. */
  blank: number
  skipped: number
  /** Skipped lines by reason: "json", "object" or the offending source field. */
  reasons: Record<string, number>
  /** Valid lines whose reviewText was cut to 4 KiB. */
  truncated: number
}

export type LineResult = { ok: true; input: ReviewInput; truncated: boolean } | { ok: false; reason: string; message: string }

/** Cuts `s` to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(s: string, maxBytes: number): string {
  if (s.length * 3 <= maxBytes) return s // no string of this length can be longer in UTF-8
  const buf = Buffer.from(s, 'utf8')
  if (buf.length <= maxBytes) return s
  let end = maxBytes
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end-- // buf[end] continues the character being cut: drop it whole
  return buf.subarray(0, end).toString('utf8')
}

const skip = (reason: string, message: string): LineResult => ({ ok: false, reason, message })

/** Maps one line of the Amazon format; never throws. */
export function parseAmazonLine(line: string): LineResult {
  let v: unknown
  try {
    v = JSON.parse(line)
  } catch (err) {
    return skip('json', `invalid JSON: ${(err as Error).message}`)
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return skip('object', 'not a JSON object')
  const r = v as Record<string, unknown>
  if (typeof r.reviewerID !== 'string' || r.reviewerID.trim() === '') return skip('reviewerID', 'reviewerID missing or not a string')
  if (typeof r.asin !== 'string') return skip('asin', 'asin missing or not a string')
  if (typeof r.overall !== 'number' || !(r.overall >= 1 && r.overall <= 5)) return skip('overall', 'overall missing or not a number from 1 to 5')
  if (r.reviewText !== undefined && typeof r.reviewText !== 'string') return skip('reviewText', 'reviewText is not a string')
  const t = r.unixReviewTime
  if (t !== undefined && !(typeof t === 'number' && Number.isInteger(t) && t >= 0)) {
    return skip('unixReviewTime', 'unixReviewTime is not a non-negative integer (seconds)')
  }
  const raw = r.reviewText ?? ''
  const text = truncateUtf8(raw, MAX_TEXT_BYTES)
  const input = {
    productId: r.asin.trim().toUpperCase(),
    reviewerId: r.reviewerID.trim(),
    rating: Math.round(r.overall),
    text,
    ...(t !== undefined && { ts: t * 1000 }),
  }
  // The service's own schema has the last word (ASIN shape, reviewer id length).
  const parsed = ReviewInput.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = { productId: 'asin', reviewerId: 'reviewerID', rating: 'overall', text: 'reviewText', ts: 'unixReviewTime' }[String(issue.path[0])]
    return skip(field ?? 'invalid', `${field ?? 'review'}: ${issue.message}`)
  }
  return { ok: true, input: parsed.data, truncated: text.length !== raw.length }
}

export interface ReplayOptions extends PaceOptions {
  file: string
  /** Called for every skipped line (1-based line number). */
  onSkip?: (line: number, reason: string, message: string) => void
}

/** A paced replay of one file; `stats` fills in as it is read. */
export class Replay implements AsyncIterable<Paced<ReviewInput>> {
  readonly stats: ReplayStats = { lines: 0, valid: 0, blank: 0, skipped: 0, reasons: {}, truncated: 0 }

  constructor(private readonly o: ReplayOptions) {}

  [Symbol.asyncIterator](): AsyncIterator<Paced<ReviewInput>> {
    return pace(this.read(), this.o)
  }

  private async *read(): AsyncGenerator<ReviewInput> {
    // Opened first, so a missing file fails here with a clear ENOENT instead of mid-stream.
    const fh = await open(this.o.file, 'r')
    const file = fh.createReadStream() // closes the handle when it ends or is destroyed
    let input: Readable = file
    if (this.o.file.endsWith('.gz')) {
      const gunzip = createGunzip()
      file.on('error', (err) => gunzip.destroy(err)) // a read error must reach the reader, not vanish
      input = file.pipe(gunzip)
    }
    const rl = createInterface({ input, crlfDelay: Infinity })
    const failed = new Promise<never>((_, reject) => input.once('error', reject))
    failed.catch(() => {}) // observed below through the race; this only avoids an unhandled rejection
    const lines = rl[Symbol.asyncIterator]()
    const s = this.stats
    try {
      for (;;) {
        const r = await Promise.race([lines.next(), failed])
        if (r.done) return
        const line = r.value
        s.lines++
        if (line.trim() === '') {
          s.blank++
          continue
        }
        const m = parseAmazonLine(line)
        if (!m.ok) {
          s.skipped++
          s.reasons[m.reason] = (s.reasons[m.reason] ?? 0) + 1
          this.o.onSkip?.(s.lines, m.reason, m.message)
          continue
        }
        s.valid++
        if (m.truncated) s.truncated++
        yield m.input
      }
    } finally {
      rl.close()
      input.destroy()
      file.destroy()
    }
  }
}

export function replay(o: ReplayOptions): Replay {
  return new Replay(o)
}
