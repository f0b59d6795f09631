// Open loop: calls arrive on a fixed schedule (call k is due at start + k/rate) whatever
// the server does, and latency is measured from that intended time, not from when the
// call actually left. A server that stalls for 1 s therefore shows ~1 s in the tail of
// every call that should have gone out during the stall (no coordinated omission).
import { recordMs, type Histogram } from './histogram.ts'
import type { Ledger } from './accounting.ts'

export interface OpenLoopOptions {
  rate: number
  durationMs: number
  /** Delay of this generator's first arrival, so several generators interleave. */
  offsetMs: number
  /** Memory guard: arrivals beyond this many outstanding calls are counted as skipped, not sent. */
  maxInFlight: number
  /** How late each call left relative to its intended time: the generator's own lag. */
  sendLag: Histogram
}

export function runOpenLoop(ledger: Ledger, o: OpenLoopOptions, stop: AbortSignal): Promise<number> {
  const periodMs = 1000 / o.rate
  const start = performance.now()
  const first = start + o.offsetMs
  const end = start + o.durationMs
  ledger.windowEnd = end
  let k = 0
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined
    const finish = () => {
      clearTimeout(timer)
      stop.removeEventListener('abort', finish)
      const closedAt = performance.now()
      ledger.windowEnd = Math.min(end, closedAt)
      resolve(Math.min(o.durationMs, closedAt - start))
    }
    const tick = () => {
      const now = performance.now()
      if (now >= end) return finish()
      ledger.sweep(now)
      // Everything due by now goes out in this turn: a late wake-up sends a burst, it never shifts the schedule.
      for (let due = first + k * periodMs; due <= now && due < end; due = first + ++k * periodMs) {
        if (ledger.outstanding >= o.maxInFlight) {
          ledger.acc.skipped++
          continue
        }
        recordMs(o.sendLag, performance.now() - due)
        ledger.start(due)
      }
      const next = Math.min(first + k * periodMs, end)
      timer = setTimeout(tick, Math.max(0, next - performance.now()))
    }
    if (stop.aborted) return finish()
    stop.addEventListener('abort', finish, { once: true })
    tick()
  })
}
