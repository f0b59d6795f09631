// A short real autoscaler run on Redis: worker processes started and stopped by the
// autoscaler while an open loop sends jobs. Nothing may be lost or fail, and the pool must
// have grown past one worker under the step, stayed within max, and cleared the step's backlog.
import { describe, expect, inject, it } from 'vitest'
import { runAutoscale } from './run.ts'

describe('autoscale (real run on redis)', () => {
  it('follows a load step with nothing lost', async () => {
    const broker = inject('brokers').redis
    expect(broker, 'global setup must provide a Redis URL').toBeTruthy()
    const r = await runAutoscale({
      middleware: 'redis',
      profile: 'steps',
      max: 4,
      drainTargetMs: 2000,
      cooldownMs: 3000,
      tickMs: 1000,
      cost: { cpuMicros: 0, ioMillis: 10 },
      timeScale: 0.6,
      broker,
    })
    expect(r.state).toBe('completed')
    expect(r.sent).toBeGreaterThan(500)
    expect(r.failed).toBe(0)
    expect(r.lost).toBe(0)
    expect(r.ok).toBe(r.sent)
    expect(r.maxWorkers).toBeGreaterThan(1)
    expect(r.maxWorkers).toBeLessThanOrEqual(4)
    expect(r.timeline.length).toBeGreaterThanOrEqual(15)
    for (const t of r.timeline) expect(t.workers).toBeLessThanOrEqual(4)
    // The step made a backlog, and the grown pool cleared it (how fast is the bench's business).
    expect(r.drainTimes).toHaveLength(1)
    expect(r.drainTimes[0].peakBacklog).toBeGreaterThan(4)
    expect(r.drainTimes[0].drainedAfterS).toBeGreaterThan(0)
  }, 120_000)
})
