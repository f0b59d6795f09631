// The ledger of one phase on one load generator: every call gets an id when it starts and
// ends in exactly one bucket, so `sent = ok + failed + timedOut + lost` holds by
// construction and a missing reply cannot hide.
//
//   ok        answered correctly within the timeout (latency recorded)
//   failed    rejected with an error, by MwlabError code; MISMATCH = answered with another call's id
//   timedOut  answered (or failed with DEADLINE_EXCEEDED) after the timeout
//   lost      never answered nor failed, even after the grace period that follows the window
//   duplicates (apart) replies naming a call that had already been answered
import { MwlabError } from '../core/errors.ts'
import { createLogger } from '../core/log.ts'
import { createHistogram, encode, recordMs, type Histogram } from './histogram.ts'
import type { Accounting } from './types.ts'

const log = createLogger('stress')

/** The work a ledger runs for each call: resolves with the id the reply carries (undefined if the op cannot echo one). */
export type Caller = (id: string, signal: AbortSignal) => Promise<string | undefined>

interface Flight {
  seq: number
  id: string
  /** performance.now() when the call was due (open loop) or started (closed loop). */
  intended: number
  overdue: boolean
  release?: () => void
}

export function emptyAccounting(): Accounting {
  return { sent: 0, ok: 0, failed: {}, failedTotal: 0, timedOut: 0, lost: 0, duplicates: 0, skipped: 0 }
}

export function addAccounting(a: Accounting, b: Accounting): Accounting {
  const failed: Record<string, number> = { ...a.failed }
  for (const [k, v] of Object.entries(b.failed)) failed[k] = (failed[k] ?? 0) + v
  return {
    sent: a.sent + b.sent,
    ok: a.ok + b.ok,
    failed,
    failedTotal: a.failedTotal + b.failedTotal,
    timedOut: a.timedOut + b.timedOut,
    lost: a.lost + b.lost,
    duplicates: a.duplicates + b.duplicates,
    skipped: a.skipped + b.skipped,
  }
}

/** True when every sent call is in exactly one bucket. */
export function balances(a: Accounting): boolean {
  return a.sent === a.ok + a.failedTotal + a.timedOut + a.lost
}

export class Ledger {
  readonly acc = emptyAccounting()
  readonly latency: Histogram = createHistogram()
  okInWindow = 0
  /** performance.now() after which completions no longer count towards throughput. */
  windowEnd = Infinity
  private nextSeq = 0
  private readonly inflight = new Map<number, Flight>()
  private readonly overdueCalls = new Map<number, Flight>()
  private closed = false
  private readonly abort = new AbortController()
  private warnedForeign = false

  /** `prefix` makes ids unique across generators, phases and runs; it must not contain digits at its end. */
  constructor(
    private readonly prefix: string,
    private readonly call: Caller,
    private readonly timeoutMs: number,
  ) {
  }

  get outstanding(): number {
    return this.inflight.size + this.overdueCalls.size
  }

  /** Starts one call due at `intended`; `release` runs once when it settles or passes its timeout. */
  start(intended: number, release?: () => void): void {
    const seq = this.nextSeq++
    const f: Flight = { seq, id: this.prefix + seq, intended, overdue: false, release }
    this.inflight.set(seq, f)
    this.acc.sent++
    let p: Promise<string | undefined>
    try {
      p = this.call(f.id, this.abort.signal)
    } catch (err) {
      p = Promise.reject(err) // a caller that throws synchronously still settles through the books
    }
    p.then(
      (echo) => this.onReply(f, echo),
      (err: unknown) => this.onError(f, err),
    )
  }

  /** Moves calls past their timeout to the overdue set and frees their closed-loop slots. */
  sweep(now: number): void {
    for (const f of this.inflight.values()) {
      // Calls start in order of `intended`, so the first one not yet due ends the scan.
      if (f.intended + this.timeoutMs > now) break
      this.inflight.delete(f.seq)
      f.overdue = true
      this.overdueCalls.set(f.seq, f)
      const r = f.release
      f.release = undefined
      r?.()
    }
  }

  /** Ends the phase: whatever is still unanswered is lost, and its call is cancelled. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.acc.lost = this.outstanding
    for (const f of this.inflight.values()) f.release?.()
    this.inflight.clear()
    this.overdueCalls.clear()
    this.abort.abort()
  }

  encodedLatency(): string {
    return encode(this.latency)
  }

  private take(f: Flight): boolean {
    if (this.closed) return false
    const map = f.overdue ? this.overdueCalls : this.inflight
    if (!map.delete(f.seq)) return false
    const r = f.release
    f.release = undefined
    r?.()
    return true
  }

  private onReply(f: Flight, echo: string | undefined): void {
    const now = performance.now()
    if (!this.take(f)) return
    if (echo !== undefined && echo !== f.id) {
      this.fail('MISMATCH')
      if (this.wasAnswered(echo)) this.acc.duplicates++
      return
    }
    if (f.overdue || now - f.intended > this.timeoutMs) {
      this.acc.timedOut++
      return
    }
    this.acc.ok++
    if (now <= this.windowEnd) this.okInWindow++
    recordMs(this.latency, now - f.intended)
  }

  private onError(f: Flight, err: unknown): void {
    if (!this.take(f)) return
    if (!(err instanceof MwlabError) && !this.warnedForeign) {
      // A client must map its failures to MwlabErrors; say so once instead of per call.
      this.warnedForeign = true
      log.warn('a call failed with an error that is not an MwlabError (counted as INTERNAL)', err)
    }
    const code = err instanceof MwlabError ? err.code : 'INTERNAL'
    if (code === 'DEADLINE_EXCEEDED') this.acc.timedOut++
    else this.fail(code)
  }

  private fail(code: string): void {
    this.acc.failed[code] = (this.acc.failed[code] ?? 0) + 1
    this.acc.failedTotal++
  }

  /** Whether `id` names a call of this ledger that has already settled. */
  private wasAnswered(id: string): boolean {
    if (!id.startsWith(this.prefix)) return false
    const seq = Number(id.slice(this.prefix.length))
    return Number.isInteger(seq) && seq >= 0 && seq < this.nextSeq && !this.inflight.has(seq) && !this.overdueCalls.has(seq)
  }
}
