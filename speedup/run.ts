// Speedup over 1..N nodes: for each n, a master with n worker processes serves moderate
// jobs of a fixed cost, driven at saturation by a closed loop; X(n) is what completed.
// Workers run jobConcurrency jobs at once (default 1), so a worker is one server of the
// M/M/c queue the result is compared with.
import os from 'node:os'
import type { MiddlewareName } from '../core/contract.ts'
import { createLogger } from '../core/log.ts'
import type { Cost } from '../core/schemas.ts'
import { runLoad, type RunProgress } from '../stress/load-run.ts'
import { startNode, type StartedNode } from '../stress/topology.ts'
import { fitAmdahl, mmcSpeedup, speedupTable } from './models.ts'
import { SPEEDUP_SCHEMA, type SpeedupMeasurement, type SpeedupResult, type Work } from './result.ts'

const log = createLogger('speedup')

export interface SpeedupOptions {
  middleware: MiddlewareName
  work: Work
  nodes: number[]
  cost: Cost
  durationMs: number
  warmupMs: number
  repeat: number
  jobConcurrency: number
  /** closed-loop calls in flight per worker: enough that no worker ever waits for work */
  concurrencyPerNode: number
  broker?: string
  seed?: number
}

export const DEFAULT_COST: Record<Work, Cost> = {
  io: { cpuMicros: 0, ioMillis: 5 },
  cpu: { cpuMicros: 2000, ioMillis: 0 },
}

export interface SpeedupHooks {
  signal?: AbortSignal
  onProgress?: (nodes: number, p: RunProgress) => void
}

async function measure(o: SpeedupOptions, n: number, hooks: SpeedupHooks): Promise<SpeedupMeasurement | { error: string }> {
  let started: StartedNode
  try {
    started = await startNode(o.middleware, { workers: n, jobConcurrency: o.jobConcurrency, broker: o.broker })
  } catch (err) {
    return { error: `the master with ${n} workers did not start: ${err instanceof Error ? err.message : String(err)}` }
  }
  try {
    const outcome = await runLoad(
      { kind: 'driver', middleware: o.middleware, server: started.address, workload: { op: 'moderate', payload: 'simple', cost: o.cost, seed: o.seed ?? 1 } },
      {
        load: { mode: 'closed', concurrency: n * o.jobConcurrency * o.concurrencyPerNode },
        warmupMs: o.warmupMs,
        durationMs: o.durationMs,
        repeat: o.repeat,
        loadWorkers: 0,
        seed: o.seed ?? 1,
        timeoutMs: 30_000,
        graceMs: 10_000,
      },
      { signal: hooks.signal, onProgress: (p) => hooks.onProgress?.(n, p) },
    )
    // A failed run (e.g. no call succeeded) is no point on the curve, even with a summary.
    if (!outcome.summary || outcome.state === 'failed') return { error: outcome.error?.message ?? outcome.reason ?? 'no measurement' }
    const s = outcome.summary
    return { nodes: n, throughput: s.throughput, speedup: 0, efficiency: 0, utilisation: 0, accounting: s.accounting, p99Ms: s.latency.p99Us / 1000 }
  } finally {
    await started.close()
  }
}

export async function runSpeedup(o: SpeedupOptions, hooks: SpeedupHooks = {}): Promise<SpeedupResult> {
  const cores = os.cpus().length
  const nodes = [...new Set([1, ...o.nodes])].sort((a, b) => a - b)
  const base: Omit<SpeedupResult, 'state' | 'points' | 'amdahlSerialFraction' | 'serviceRate' | 'mmc'> = {
    schema: SPEEDUP_SCHEMA,
    middleware: o.middleware,
    work: o.work,
    cost: o.cost,
    createdAt: new Date().toISOString(),
    cores,
    node: process.version,
    jobConcurrency: o.jobConcurrency,
    concurrencyPerNode: o.concurrencyPerNode,
    durationMs: o.durationMs,
    warmupMs: o.warmupMs,
    repeat: o.repeat,
  }
  const measured: SpeedupMeasurement[] = []
  let reason: string | undefined
  for (const n of nodes) {
    if (hooks.signal?.aborted) {
      reason = 'interrupted'
      break
    }
    log.info(`${o.middleware} ${o.work}: ${n} worker${n > 1 ? 's' : ''}`)
    const m = await measure(o, n, hooks)
    if ('error' in m) {
      // The node counts measured so far are kept either way.
      log.warn(`${o.middleware} ${o.work}: ${n} nodes: ${m.error}`)
      reason = hooks.signal?.aborted ? 'interrupted' : `${n} nodes: ${m.error}`
      break
    }
    measured.push(m)
  }
  // Interrupted during the last node count: its point is cut short, so the result is partial.
  if (hooks.signal?.aborted) reason ??= 'interrupted'
  if (!measured.some((m) => m.nodes === 1) || measured[0].throughput.median <= 0) {
    return { ...base, state: 'failed', reason: reason ?? 'no throughput at 1 node', points: measured, amdahlSerialFraction: NaN, serviceRate: 0, mmc: [] }
  }
  const table = speedupTable(measured.map((m) => ({ nodes: m.nodes, throughput: m.throughput.median })))
  const mu = measured[0].throughput.median
  const points = measured.map((m, i) => ({ ...m, speedup: table[i].speedup, efficiency: table[i].efficiency, utilisation: m.throughput.median / (m.nodes * mu) }))
  const cpuBound = o.cost.cpuMicros > 0 && o.cost.ioMillis === 0
  const mmc = points.map((p) => {
    const speedup = mmcSpeedup(p.nodes, { cpuBound, cores })
    return { nodes: p.nodes, capacity: speedup * mu, speedup }
  })
  // From as many workers as cores, the workers alone could fill the machine, and the load
  // generator, master and broker need CPU too.
  const capped = cpuBound && points.some((p) => p.nodes > 1 && p.nodes >= cores)
  return {
    ...base,
    state: reason ? 'partial' : 'completed',
    reason,
    points,
    amdahlSerialFraction: fitAmdahl(points),
    serviceRate: mu,
    mmc,
    capNote: capped
      ? `CPU-bound work on ${cores} cores: from ${cores} workers on, the machine caps the speedup (the load generator, master and broker share the same cores), not the middleware.`
      : undefined,
  }
}
