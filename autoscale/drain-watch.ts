// Times how long the backlog a load step makes lasts, by reading the broker's backlog every
// `pollMs` from the step on. The autoscaler's ticks (1 s by default) would only say in which
// second it drained, and round every drain time up to the next tick.
import { setTimeout as sleep } from 'node:timers/promises'
import { createLogger } from '../core/log.ts'
import { atMost } from '../core/time-limit.ts'

const log = createLogger('autoscale')

/** How often the backlog is read while a step's backlog lasts, ms. */
export const DRAIN_POLL_MS = 100
/** stop() waits this long at most for a backlog read under way (a broker may hang). */
const STOP_WAIT_MS = 5000

export interface DrainTime {
  /** when the load stepped up, s from the start of the profile */
  stepAt: number
  /** false for a step the profile never got to (interrupted before it) */
  reached: boolean
  /**
   * s from the step until the backlog was back to drained, after it had grown past twice
   * that line; 0: it never grew so far; null: never drained, or nothing measured (no read
   * succeeded, or interrupted before it grew)
   */
  drainedAfterS: number | null
  /** the most jobs seen waiting meanwhile */
  peakBacklog?: number
}

export interface DrainWatchOptions {
  /** when the load steps up, ms from the start */
  steps: readonly number[]
  /** ms since the start of the profile */
  now(): number
  backlog(): Promise<number>
  /** the pool size now: each worker may have one job about to be taken */
  workers(): number
  pollMs?: number
  /** ms since the start when the profile was interrupted (the load stopped), if it was: later steps are never reached */
  interruptedAt(): number | undefined
}

/**
 * Drained: no more waiting than one job per worker (the one it is about to take). Kafka's
 * lag never reads 0 under steady arrivals, as it counts jobs fetched but not committed.
 */
export function isDrained(backlog: number, workers: number): boolean {
  return backlog <= Math.max(1, workers)
}

/**
 * A backlog the step made, not noise: twice the drained line. Kafka's reads wander around
 * the line in steady state (2-6 jobs at four workers), so one read above it proves nothing.
 */
export function hasGrown(backlog: number, workers: number): boolean {
  return backlog > 2 * Math.max(1, workers)
}

/** Starts watching; `stop()` ends the watch and returns one DrainTime per step. */
export function watchDrains(o: DrainWatchOptions): { stop(): Promise<DrainTime[]> } {
  const pollMs = o.pollMs ?? DRAIN_POLL_MS
  const out: DrainTime[] = o.steps.map((at) => ({ stepAt: at / 1000, reached: false, drainedAfterS: null }))
  const stopper = new AbortController()
  const stopped = () => stopper.signal.aborted
  const interruptedBefore = (atMs: number) => (o.interruptedAt() ?? Infinity) < atMs
  const until = async (atMs: number) => {
    while (!stopped() && o.interruptedAt() === undefined && o.now() < atMs) {
      await sleep(Math.min(pollMs, atMs - o.now()), undefined, { signal: stopper.signal }).catch(() => undefined)
    }
  }

  const loop = (async () => {
    for (let i = 0; i < o.steps.length; i++) {
      const at = o.steps[i]
      await until(at)
      if (stopped() || interruptedBefore(at)) return
      const d = out[i]
      d.reached = true
      const next = o.steps[i + 1] ?? Infinity
      let peak = 0
      let reads = 0
      let grew = false
      // Until it drains; a step whose backlog never grew before the next one made nothing to drain.
      while (!stopped() && o.now() < next) {
        const t0 = o.now()
        let b: number | undefined
        try {
          b = await o.backlog()
        } catch (err) {
          log.debug('reading the backlog for the drain time failed', err)
        }
        if (b !== undefined) {
          const t = o.now()
          reads++
          peak = Math.max(peak, b)
          if (hasGrown(b, o.workers())) grew = true
          else if (grew && isDrained(b, o.workers())) {
            // Read between t0 and t: the later end, so a slow read never shortens a drain.
            d.drainedAfterS = (t - at) / 1000
            break
          }
        }
        await sleep(Math.max(0, pollMs - (o.now() - t0)), undefined, { signal: stopper.signal }).catch(() => undefined)
      }
      // No backlog so far counts as none only if it was read, and the load kept coming.
      if (!grew && reads > 0 && o.interruptedAt() === undefined) d.drainedAfterS = 0
      d.peakBacklog = peak
    }
  })()

  return {
    async stop() {
      stopper.abort()
      if (!(await atMost(loop, STOP_WAIT_MS))) log.warn(`a backlog read for the drain times was still under way after ${STOP_WAIT_MS} ms; not waiting for it`)
      return out
    },
  }
}
