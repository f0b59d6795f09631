// Closed loop: `concurrency` slots, each starting its next call as soon as its previous
// one settles. Measures what the system sustains at that concurrency, but a stalled
// server also stalls the arrivals, so a stall hides in the numbers (see open-loop.ts).
// A slot whose call passes the timeout is freed by the ledger's sweep and moves on; the
// call stays on the books until it answers or the phase ends (then it is lost).
import type { Ledger } from './accounting.ts'

const SWEEP_EVERY_MS = 20

/** Runs the window; resolves with its length in ms once it closes (outstanding calls are not awaited). */
export async function runClosedLoop(ledger: Ledger, concurrency: number, durationMs: number, stop: AbortSignal): Promise<number> {
  const start = performance.now()
  const end = start + durationMs
  ledger.windowEnd = end
  let open = true
  const sweeper = setInterval(() => ledger.sweep(performance.now()), SWEEP_EVERY_MS)
  const slot = async () => {
    while (open && performance.now() < end) {
      await new Promise<void>((release) => ledger.start(performance.now(), release))
    }
  }
  for (let i = 0; i < concurrency; i++) void slot()
  await windowClosed(end, stop)
  open = false
  const closedAt = performance.now()
  ledger.windowEnd = Math.min(end, closedAt)
  clearInterval(sweeper)
  return Math.min(durationMs, closedAt - start)
}

/** Resolves at `end` (performance.now() time) or as soon as `stop` aborts. */
export function windowClosed(end: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      stop.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, Math.max(0, end - performance.now()))
    if (stop.aborted) done()
    else stop.addEventListener('abort', done, { once: true })
  })
}

/** After the window: waits until every call settled or `graceMs` passed, then closes the ledger (the rest is lost). */
export async function drain(ledger: Ledger, graceMs: number): Promise<void> {
  const until = performance.now() + graceMs
  while (ledger.outstanding > 0 && performance.now() < until) {
    ledger.sweep(performance.now())
    await new Promise((r) => setTimeout(r, 5))
  }
  ledger.close()
}
