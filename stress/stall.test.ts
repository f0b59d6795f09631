// A real server stall behind a real transport: the rpc node runs in this thread, the load
// generator in a worker thread, and this thread blocks for 1 s in the middle of the run.
// The open loop keeps its schedule through the stall and shows it in its tail; the
// closed loop only ever had its few in-flight calls waiting.
import { describe, expect, it } from 'vitest'
import { runLoad, type LoadPlan } from './load-run.ts'
import { startNode } from './topology.ts'
import type { LoadModel, TargetSpec } from './types.ts'

const STALL_MS = 1000

function stallThisThreadAfter(ms: number): void {
  setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, STALL_MS), ms)
}

async function stalledRun(load: LoadModel) {
  const node = await startNode('rpc', { workers: 0 })
  try {
    const target: TargetSpec = {
      kind: 'driver',
      middleware: 'rpc',
      server: node.address,
      workload: { op: 'moderate', payload: 'simple', cost: { cpuMicros: 0, ioMillis: 0 }, seed: 3 },
    }
    const plan: LoadPlan = { load, warmupMs: 0, durationMs: 3000, repeat: 1, timeoutMs: 5000, graceMs: 5000, loadWorkers: 1, seed: 3 }
    // Armed by the first progress report of the window (~250 ms in), so thread start-up time does not matter.
    let armed = false
    return await runLoad(target, plan, {
      onProgress: (p) => {
        if (armed || p.phase !== 'measure') return
        armed = true
        stallThisThreadAfter(500)
      },
    })
  } finally {
    await node.close()
  }
}

describe('a 1 s server stall', () => {
  it('shows as p99 >= 500 ms in the open loop, and hides below the p99 of the closed loop', async () => {
    const open = await stalledRun({ mode: 'open', rate: 200 })
    const closed = await stalledRun({ mode: 'closed', concurrency: 4 })
    for (const r of [open, closed]) {
      expect(r.state).toBe('completed')
      expect(r.summary?.accounting.lost).toBe(0)
      expect(r.summary?.balanced).toBe(true)
    }
    expect(open.summary!.latency.p99Us).toBeGreaterThanOrEqual(500_000)
    expect(closed.summary!.latency.maxUs).toBeGreaterThanOrEqual(500_000) // it did meet the stall...
    expect(closed.summary!.latency.p99Us).toBeLessThan(open.summary!.latency.p99Us) // ...but its p99 does not show it
  })
})
