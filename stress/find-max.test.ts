// --find-max against a fake service with a known capacity (one server, 400 calls/s).
import { describe, expect, it } from 'vitest'
import { findMax } from './find-max.ts'
import type { LoadPlan } from './load-run.ts'
import type { TargetSpec, Workload } from './types.ts'

const workload: Workload = { op: 'moderate', payload: 'simple', cost: { cpuMicros: 0, ioMillis: 0 }, seed: 1 }
const target: TargetSpec = { kind: 'fake', fake: { serviceMs: 1, capacityOps: 400 }, workload }
const plan: LoadPlan = { load: { mode: 'open', rate: 1 }, warmupMs: 0, durationMs: 800, repeat: 1, loadWorkers: 0, seed: 1, timeoutMs: 2000, graceMs: 500 }

describe('find-max', () => {
  it('steps down from a first rate that is already too much and brackets the capacity', async () => {
    const r = await findMax(target, plan, { p99BoundMs: 50, startRate: 3000 })
    expect(r.state).toBe('completed')
    const best = r.report.maxSustainableRate
    expect(best).not.toBeNull()
    expect(best!).toBeLessThanOrEqual(400)
    expect(best!).toBeGreaterThanOrEqual(150)
    // It tried below the start: 3000 failed, then halvings until one held.
    expect(r.report.steps.some((s) => s.rate < 3000 && s.sustainable)).toBe(true)
    expect(r.report.steps.find((s) => s.rate === 3000)?.sustainable).toBe(false)
  })

  it('from a probe, finds a sustainable rate close to the capacity', async () => {
    const r = await findMax(target, plan, { p99BoundMs: 50, probeConcurrency: 8 })
    expect(r.report.probe?.throughput).toBeGreaterThan(300)
    expect(r.report.maxSustainableRate).toBeGreaterThanOrEqual(200)
    expect(r.report.maxSustainableRate).toBeLessThanOrEqual(440)
  })
})
