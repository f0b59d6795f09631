// Emits items from any source on an absolute schedule: item i is due at start + i/rate.
// Pacing against absolute times means a late wake-up or a slow consumer never slows the
// overall rate (the next items are simply due already), and `intendedAt` keeps the
// schedule, so an open-loop harness can measure latency from the intended send time
// instead of hiding stalls (coordinated omission).
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises'

export interface PaceOptions {
  /** Items per second; 0 or Infinity means as fast as the consumer pulls. Default unpaced. */
  rate?: number
  /** Stop after this many items (default: until the source ends). */
  count?: number
  /** Aborting ends the stream quietly (no error): what was emitted stays emitted. */
  signal?: AbortSignal
}

export interface Paced<T> {
  value: T
  /** 0-based position in the paced stream. */
  index: number
  /** When the item was due, ms since epoch with sub-ms resolution (unpaced: when it was emitted). */
  intendedAt: number
}

/** Unpaced streams give the event loop a turn this often, so timers and aborts still run. */
const UNPACED_YIELD_EVERY = 256

/** Wall clock with sub-millisecond resolution, monotonic within a process. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now()
}

export function validatePace(o: PaceOptions): void {
  if (o.rate !== undefined && !(o.rate >= 0)) throw new RangeError(`rate must be >= 0 (0 or Infinity: unpaced), got ${o.rate}`)
  if (o.count !== undefined && !(Number.isInteger(o.count) && o.count >= 0) && o.count !== Infinity) {
    throw new RangeError(`count must be a non-negative integer, got ${o.count}`)
  }
}

/** Waits until `at` (never earlier); false if the signal aborted first. */
async function waitUntil(at: number, signal?: AbortSignal): Promise<boolean> {
  for (;;) {
    if (signal?.aborted) return false
    const d = at - nowMs()
    if (d <= 0) return true
    try {
      // ceil: setTimeout truncates, and waking early would make the stream run ahead of schedule.
      await sleep(Math.ceil(d), undefined, { signal })
    } catch (err) {
      if (signal?.aborted) return false
      throw err
    }
  }
}

export async function* pace<T>(source: Iterable<T> | AsyncIterable<T>, o: PaceOptions = {}): AsyncGenerator<Paced<T>> {
  validatePace(o)
  const rate = o.rate ?? 0
  const periodMs = rate > 0 && rate !== Infinity ? 1000 / rate : 0
  const limit = o.count ?? Infinity
  const it: Iterator<T> | AsyncIterator<T> =
    Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : (source as Iterable<T>)[Symbol.iterator]()
  let start: number | undefined
  let index = 0
  try {
    // The count is checked before pulling, so a bounded run never reads one item too many.
    while (index < limit && !o.signal?.aborted) {
      const r = await it.next()
      if (r.done) return
      start ??= nowMs()
      let intendedAt: number
      if (periodMs > 0) {
        intendedAt = start + index * periodMs
        if (!(await waitUntil(intendedAt, o.signal))) return
      } else {
        if (index > 0 && index % UNPACED_YIELD_EVERY === 0) await yieldToLoop()
        if (o.signal?.aborted) return
        intendedAt = nowMs()
      }
      yield { value: r.value, index, intendedAt }
      index++
    }
  } finally {
    await it.return?.()
  }
}
