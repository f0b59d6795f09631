// The engine against a test double of the client (stress/fake-client.ts): what the load
// models see when a server stalls, drops or misroutes, independent of any middleware.
import { describe, expect, it } from 'vitest'
import { balances } from './accounting.ts'
import { decode } from './histogram.ts'
import { NO_SUCCESS, runLoad, type LoadPlan } from './load-run.ts'
import type { FakeOptions, LoadModel, TargetSpec } from './types.ts'

const workload = { op: 'moderate' as const, payload: 'complex' as const, cost: { cpuMicros: 0, ioMillis: 0 }, seed: 1 }
const fake = (f: FakeOptions): TargetSpec => ({ kind: 'fake', fake: f, workload })
const plan = (load: LoadModel, o: Partial<LoadPlan> = {}): LoadPlan => ({
  load,
  warmupMs: 0,
  durationMs: 1000,
  repeat: 1,
  timeoutMs: 2000,
  graceMs: 2000,
  loadWorkers: 0,
  seed: 1,
  ...o,
})

describe('load models against a fake service', () => {
  it('the open loop sees a 1 s stall in its tail; the closed loop hides it', async () => {
    // The fake server stops answering 1 s after it starts, for 1 s, then answers everything at once.
    const stall: FakeOptions = { serviceMs: 1, pauseAfterMs: 1000, pauseMs: 1000 }
    const open = await runLoad(fake(stall), plan({ mode: 'open', rate: 200 }, { durationMs: 3000 }))
    const closed = await runLoad(fake(stall), plan({ mode: 'closed', concurrency: 4 }, { durationMs: 3000 }))
    expect(open.state).toBe('completed')
    expect(closed.state).toBe('completed')
    const o = open.summary!
    const c = closed.summary!
    expect(o.accounting.lost).toBe(0)
    expect(c.accounting.lost).toBe(0)
    // ~1/3 of the scheduled arrivals fall in the stall and wait up to 1 s from their intended time.
    expect(o.latency.p99Us).toBeGreaterThanOrEqual(500_000)
    // The closed loop sent only its 4 in-flight calls into the stall: they are a tiny fraction of its samples.
    expect(c.latency.maxUs).toBeGreaterThanOrEqual(500_000)
    expect(c.latency.p99Us).toBeLessThan(500_000)
  })

  it('a server that drops 1% of requests is reported with about 1% lost', async () => {
    const drops = await runLoad(fake({ serviceMs: 1, dropRate: 0.01 }), plan({ mode: 'open', rate: 1000 }, { durationMs: 2000, timeoutMs: 300, graceMs: 300 }))
    const a = drops.summary!.accounting
    expect(balances(a)).toBe(true)
    expect(a.sent).toBeGreaterThan(1500)
    expect(a.lost / a.sent).toBeGreaterThan(0.004)
    expect(a.lost / a.sent).toBeLessThan(0.02)
    expect(a.failedTotal + a.timedOut).toBe(0)
  })

  it('a closed loop keeps going past dropped calls and counts them lost', async () => {
    const r = await runLoad(fake({ serviceMs: 1, dropRate: 0.05 }), plan({ mode: 'closed', concurrency: 8 }, { timeoutMs: 100, graceMs: 100 }))
    const a = r.summary!.accounting
    expect(balances(a)).toBe(true)
    expect(a.lost).toBeGreaterThan(0)
    expect(a.ok).toBeGreaterThan(10 * a.lost)
  })

  it('counts failures by code and misrouted replies, and still balances', async () => {
    const r = await runLoad(fake({ serviceMs: 1, failRate: 0.05, misrouteRate: 0.05 }), plan({ mode: 'closed', concurrency: 4 }))
    const a = r.summary!.accounting
    expect(balances(a)).toBe(true)
    expect(a.failed.UNAVAILABLE).toBeGreaterThan(0)
    expect(a.failed.MISMATCH).toBeGreaterThan(0)
    expect(a.duplicates).toBeGreaterThan(0) // a misrouted reply usually names a call already answered
    expect(a.lost).toBe(0)
  })

  it('merges the histograms of two worker-thread generators, never averages them', async () => {
    const r = await runLoad(fake({ serviceMs: 2, jitterMs: 4 }), plan({ mode: 'closed', concurrency: 6 }, { loadWorkers: 2, repeat: 2, warmupMs: 200 }))
    expect(r.state).toBe('completed')
    expect(r.repetitions).toHaveLength(2)
    for (const rep of r.repetitions) {
      expect(rep.generators).toBe(2)
      expect(balances(rep.accounting)).toBe(true)
      expect(decode(rep.histogram).totalCount).toBe(rep.accounting.ok)
    }
    const s = r.summary!
    expect(s.latency.count).toBe(s.accounting.ok)
    expect(s.throughput.n).toBe(2)
    expect(s.throughput.min).toBeLessThanOrEqual(s.throughput.median)
    expect(s.throughput.max).toBeGreaterThanOrEqual(s.throughput.median)
    expect(s.latency.p50Us).toBeGreaterThanOrEqual(1000)
  })

  it('stops on abort, keeps what it measured and says partial', async () => {
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 600)
    const r = await runLoad(fake({ serviceMs: 1 }), plan({ mode: 'open', rate: 300 }, { durationMs: 5000, repeat: 3 }), { signal: ac.signal })
    expect(r.state).toBe('partial')
    expect(r.repetitions).toHaveLength(1)
    expect(r.repetitions[0].stopped).toBe(true)
    expect(r.repetitions[0].windowMs).toBeLessThan(2000)
    expect(balances(r.repetitions[0].accounting)).toBe(true)
    expect(r.repetitions[0].cpu).toBeUndefined() // a window cut short has no known CPU
  })

  it.runIf(process.platform === 'linux')('records the CPU of every window that ran its length, however it ended', async () => {
    // Short windows with nothing to drain: the generator threads' end can reach the main thread before its own timer.
    const r = await runLoad(fake({ serviceMs: 0 }), plan({ mode: 'open', rate: 200 }, { durationMs: 100, warmupMs: 0, repeat: 6, loadWorkers: 1 }))
    expect(r.repetitions).toHaveLength(6)
    for (const rep of r.repetitions) {
      expect(rep.stopped).toBe(false)
      expect(rep.cpu?.ownMs).toBeGreaterThanOrEqual(0)
      expect(rep.cpuPerCall?.ownUs).toBeGreaterThanOrEqual(0)
    }
    expect(r.summary?.cpu).toBeDefined()
  })

  it('reports a target it cannot reach as failed, not as a crash', async () => {
    const r = await runLoad(
      { kind: 'driver', middleware: 'rpc', server: 'http://127.0.0.1:1', workload },
      plan({ mode: 'closed', concurrency: 2 }, { durationMs: 300, timeoutMs: 200, graceMs: 200 }),
    )
    // Either connect fails or every call fails as UNAVAILABLE: failed either way, never a 0 ops/s "completed".
    expect(r.state).toBe('failed')
    if (r.error?.code === NO_SUCCESS) {
      expect(r.error.message).toMatch(/^no call succeeded out of \d+: UNAVAILABLE \d+/)
      expect(r.summary!.accounting.failed.UNAVAILABLE).toBe(r.summary!.accounting.sent)
    } else expect(r.error?.message).toBeTruthy()
  })

  it('a run in which no call succeeded is failed, with what happened to the calls', async () => {
    const r = await runLoad(fake({ serviceMs: 1, failRate: 1 }), plan({ mode: 'closed', concurrency: 4 }, { durationMs: 300 }))
    expect(r.state).toBe('failed')
    expect(r.error?.code).toBe(NO_SUCCESS)
    expect(r.repetitions.length).toBeGreaterThan(0) // what was measured is kept
  })
})
