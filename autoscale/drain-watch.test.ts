// The drain watch against a scripted backlog on the real clock: it times a drain to about
// its poll period, calls a step that made no backlog 0, and one still waiting at the end, or
// never read, null.
import { describe, expect, it } from 'vitest'
import { setTimeout as sleep } from 'node:timers/promises'
import { isDrained, watchDrains, type DrainWatchOptions } from './drain-watch.ts'

function clock() {
  const t0 = performance.now()
  return () => performance.now() - t0
}

/** Watches an uninterrupted run for `stopAfterMs`. */
async function watch(o: Omit<DrainWatchOptions, 'interruptedAt'>, stopAfterMs: number) {
  const w = watchDrains({ pollMs: 10, interruptedAt: () => undefined, ...o })
  await sleep(stopAfterMs)
  return w.stop()
}

describe('watchDrains', () => {
  it('times the drain after a step to about a poll period, not a tick', async () => {
    const now = clock()
    // 40 jobs wait from the step at 50 ms until 250 ms.
    const backlog = async () => (now() >= 50 && now() < 250 ? 40 : 0)
    const [d] = await watch({ steps: [50], now, backlog, workers: () => 1 }, 400)
    expect(d.reached).toBe(true)
    expect(d.peakBacklog).toBe(40)
    expect(d.drainedAfterS).toBeGreaterThanOrEqual(0.2)
    expect(d.drainedAfterS).toBeLessThan(0.3)
  })

  it('counts up to one waiting job per worker as drained', async () => {
    expect(isDrained(4, 4)).toBe(true)
    expect(isDrained(5, 4)).toBe(false)
    expect(isDrained(1, 0)).toBe(true)
    const now = clock()
    const backlog = async () => (now() < 100 ? 30 : 3)
    const [d] = await watch({ steps: [0], now, backlog, workers: () => 4 }, 250)
    expect(d.drainedAfterS).toBeGreaterThanOrEqual(0.1)
    expect(d.drainedAfterS).toBeLessThan(0.2)
  })

  it('gives 0 for a step that made no backlog, null for one never drained', async () => {
    const now = clock()
    const backlog = async () => (now() < 150 ? 0 : 500)
    const [quiet, busy] = await watch({ steps: [0, 150], now, backlog, workers: () => 2 }, 300)
    expect(quiet).toMatchObject({ reached: true, drainedAfterS: 0, peakBacklog: 0 })
    expect(busy).toMatchObject({ reached: true, drainedAfterS: null, peakBacklog: 500 })
  })

  it('does not take a wobble around the line for a backlog, nor a step it could not read for one without', async () => {
    const now = clock()
    let n = 0
    const wobble = async () => [3, 6, 2, 7, 4][n++ % 5] // Kafka at four workers in steady state
    const [quiet] = await watch({ steps: [0], now, backlog: wobble, workers: () => 4 }, 150)
    expect(quiet.drainedAfterS).toBe(0)
    const broken = async (): Promise<number> => {
      throw new Error('no broker')
    }
    const [unknown] = await watch({ steps: [0], now: clock(), backlog: broken, workers: () => 4 }, 100)
    expect(unknown).toMatchObject({ reached: true, drainedAfterS: null })
  })

  it('skips reads that fail and does not wait for steps after an interruption', async () => {
    const now = clock()
    let reads = 0
    const backlog = async () => {
      if (++reads % 2 === 0) throw new Error('broker busy')
      return now() < 80 ? 10 : 0
    }
    let cut: number | undefined
    setTimeout(() => (cut = now()), 150)
    const w = watchDrains({ steps: [20, 400], now, backlog, workers: () => 1, pollMs: 10, interruptedAt: () => cut })
    await sleep(200)
    const t = performance.now()
    const [first, second] = await w.stop()
    expect(performance.now() - t).toBeLessThan(50) // not held until the second step
    expect(first.drainedAfterS).toBeGreaterThanOrEqual(0.06)
    expect(first.drainedAfterS).toBeLessThan(0.12)
    expect(second).toMatchObject({ reached: false, drainedAfterS: null })
  })
})
