// The policy against a simulated clock and a simulated queue: workers of a known rate,
// arrivals following a step profile.
import { describe, expect, it } from 'vitest'
import { AutoscalePolicy, DEFAULT_POLICY, workersNeeded, type PolicyConfig } from './autoscale-policy.ts'

interface Tick {
  t: number
  arrivalsPerSec: number
  workers: number
  backlog: number
  reason: string
}

/** Runs the policy over `profile` (arrivals per second for each 1 s tick) with workers of rate mu. */
function simulate(profile: number[], mu: number, cfg: Partial<PolicyConfig> = {}): Tick[] {
  const policy = new AutoscalePolicy({ ...DEFAULT_POLICY, initialCapacity: mu, ...cfg })
  let workers = 1
  let backlog = 0
  const out: Tick[] = []
  profile.forEach((arrivals, i) => {
    const startBacklog = backlog
    const served = Math.min(backlog + arrivals, workers * mu)
    backlog = backlog + arrivals - served
    const d = policy.decide(
      { at: (i + 1) * 1000, dtMs: 1000, arrivals, completions: served, backlog, saturated: startBacklog > 0 && backlog > 0, workers },
      workers,
    )
    out.push({ t: i + 1, arrivalsPerSec: arrivals, workers, backlog, reason: d.reason })
    workers = d.target
  })
  return out
}

const steps = [...Array(10).fill(100), ...Array(15).fill(450), ...Array(15).fill(120)]

describe('workersNeeded', () => {
  it('keeps up with arrivals and drains the backlog within Tr', () => {
    expect(workersNeeded(400, 0, 100, 2000)).toBe(4)
    expect(workersNeeded(400, 400, 100, 2000)).toBe(6) // 4 + 400/(100*2)
    expect(workersNeeded(0, 0, 100, 2000)).toBe(0)
    expect(workersNeeded(100, 0, 100, 2000)).toBe(1)
  })
})

describe('autoscale policy (simulated)', () => {
  it('grows after a load step and drains the backlog within drain-target + 2 s', () => {
    const ticks = simulate(steps, 100)
    const after = ticks.slice(10) // load stepped to 450/s at t = 11
    const drainedAt = after.find((t) => t.backlog === 0 && t.workers >= 5)
    expect(drainedAt, JSON.stringify(after.slice(0, 8))).toBeDefined()
    expect(drainedAt!.t - 10).toBeLessThanOrEqual(2 + 2 + 1) // Tr + 2 s, + the tick that saw the step
  })

  it('never runs more than max workers', () => {
    const ticks = simulate(Array(20).fill(5000), 100, { max: 4 })
    expect(Math.max(...ticks.map((t) => t.workers))).toBe(4)
    // What the formula asked for is kept, so a run can say that max held it back.
    const d = new AutoscalePolicy({ ...DEFAULT_POLICY, max: 4 }).decide({ at: 1000, dtMs: 1000, arrivals: 5000, completions: 100, backlog: 0, saturated: false, workers: 1 }, 1)
    expect([d.target, d.needed]).toEqual([4, 50])
  })

  it('measures capacity instead of trusting the initial guess', () => {
    const policy = new AutoscalePolicy({ ...DEFAULT_POLICY, initialCapacity: 1000 })
    let d
    for (let i = 1; i <= 5; i++) {
      d = policy.decide({ at: i * 1000, dtMs: 1000, arrivals: 500, completions: 200, backlog: 300 * i, saturated: true, workers: 2 }, 2)
    }
    expect(d!.capacity).toBeCloseTo(100, 0)
    expect(policy.capacityMeasured).toBe(true)
  })

  it('scales down only after the cool-down, and does not flap on noisy load', () => {
    // Noisy load around 2.5 workers' worth; then a drop.
    const noisy = Array.from({ length: 30 }, (_, i) => (i % 2 ? 280 : 220))
    const ticks = simulate([...noisy, ...Array(15).fill(50)], 100, { cooldownMs: 5000 })
    const changes = ticks.filter((t, i) => i > 0 && t.workers !== ticks[i - 1].workers)
    expect(changes.length).toBeLessThanOrEqual(4)
    // After the drop at t = 31 the pool shrinks, but not before 5 s have passed.
    const firstDown = ticks.findIndex((t, i) => i > 30 && t.workers < ticks[30].workers)
    expect(firstDown).toBeGreaterThanOrEqual(30 + 5)
    expect(ticks.at(-1)!.workers).toBe(1)
  })

  it('respects min', () => {
    const ticks = simulate(Array(15).fill(0), 100, { min: 2, cooldownMs: 1000 })
    expect(ticks.at(-1)!.workers).toBe(2)
  })

  it('rejects a configuration that would size the pool to nonsense', () => {
    for (const bad of [{ max: 0 }, { min: -1 }, { max: 2.5 }, { drainTargetMs: 0 }, { drainTargetMs: NaN }, { cooldownMs: -1 }, { initialCapacity: 0 }, { smoothing: 0 }]) {
      expect(() => new AutoscalePolicy({ ...DEFAULT_POLICY, ...bad }), JSON.stringify(bad)).toThrow(RangeError)
    }
  })
})
