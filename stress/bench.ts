// The standard benchmark (`npm run bench`): every middleware as a single node, `moderate`,
// zero cost, complex payload, closed loop at its best concurrency (brief runs at a few
// candidates, the best kept), calibrated against its raw client library in the same run,
// and checked against the lab's throughput targets (TARGET_OPS below).
import type { MiddlewareName } from '../core/contract.ts'
import { createLogger } from '../core/log.ts'
import { runStress, workloadOf, type StressHooks } from './engine.ts'
import { runLoad } from './load-run.ts'
import { runLabel, type RunSpec, type StressResult } from './result.ts'
import { ratioWithRounds } from './table.ts'
import { startNode, type StartedNode } from './topology.ts'

const log = createLogger('bench')

export const BENCH_SCHEMA = 'mwlab.bench/1' as const
export const DEFAULT_CANDIDATES = [16, 64, 256, 1024]

/** Completed moderate calls per second a single node should reach on the 2-core lab machine. */
export const TARGET_OPS: Record<MiddlewareName, number> = { rpc: 12_000, grpc: 3_000, redis: 20_000, rabbitmq: 8_000, kafka: 8_000 }
export const TARGET_BASELINE_RATIO = 0.7
export const TARGET_GENERATOR_RATIO = 0.9

export interface BenchOptions {
  middlewares: MiddlewareName[]
  /** Concurrencies to try briefly; the best is measured. One value: no probing. */
  candidates: number[]
  probeMs: number
  base: Omit<RunSpec, 'middleware' | 'load'>
}

export interface TargetCheck {
  /** the run's label (stress/result.ts runLabel): the middleware, marked when batched or streamed */
  middleware: string
  what: string
  target: string
  measured: string
  met: boolean | null
}

export interface BenchReport {
  schema: typeof BENCH_SCHEMA
  createdAt: string
  results: StressResult[]
  checks: TargetCheck[]
}

/**
 * Middlewares whose protocol can carry many calls per exchange get a second row with the
 * client batching (JSON-RPC batches) or streaming (one gRPC bidirectional stream): the
 * per-call row shows what one exchange per call costs, this one how far the protocol goes.
 */
export const SECOND_MODE: ReadonlySet<MiddlewareName> = new Set(['rpc', 'grpc'])

export async function runBench(o: BenchOptions, hooks: StressHooks = {}): Promise<BenchReport> {
  const createdAt = new Date().toISOString()
  const results: StressResult[] = []
  for (const mw of o.middlewares) {
    if (hooks.signal?.aborted) break
    results.push(await benchOne(mw, o, hooks))
    if (SECOND_MODE.has(mw) && !o.base.batch && !hooks.signal?.aborted) {
      // Calibration was done on the per-call row; the raw baselines are per call anyway.
      results.push(await benchOne(mw, { ...o, base: { ...o.base, batch: true } }, hooks, false))
    }
  }
  return { schema: BENCH_SCHEMA, createdAt, results, checks: results.flatMap(checksOf) }
}

async function benchOne(mw: MiddlewareName, o: BenchOptions, hooks: StressHooks, calibrate = true): Promise<StressResult> {
  const spec = (concurrency: number, node?: StartedNode): RunSpec => ({
    ...o.base,
    middleware: mw,
    load: { mode: 'closed', concurrency },
    server: node?.address,
    broker: node?.broker ?? o.base.broker,
  })
  let node: StartedNode | undefined
  try {
    hooks.onStage?.(`bench ${mw}: starting a single node`)
    node = await startNode(mw, { workers: 0, broker: o.base.broker })
  } catch (err) {
    log.debug(`${mw} did not start`, err)
    // runStress tries again and turns the failure into a typed 'failed' result with its reason.
    return runStress(spec(o.candidates[0]), hooks)
  }
  try {
    const tried: { concurrency: number; throughput: number }[] = []
    if (o.candidates.length > 1) {
      for (const c of o.candidates) {
        if (hooks.signal?.aborted) break
        hooks.onStage?.(`bench ${mw}${o.base.batch ? ' (batched)' : ''}: trying ${c} in flight for ${o.probeMs} ms`)
        const s = spec(c, node)
        const probe = await runLoad(
          { kind: 'driver', middleware: mw, server: node.address, workload: workloadOf(s) },
          { load: s.load, warmupMs: Math.min(1000, s.warmupMs), durationMs: o.probeMs, repeat: 1, timeoutMs: s.timeoutMs, graceMs: s.graceMs, loadWorkers: s.loadWorkers, seed: s.seed },
          { signal: hooks.signal, onProgress: hooks.onProgress },
        )
        const a = probe.summary?.accounting
        // A concurrency that loses calls or has them fail (overload timeouts) is not a candidate, however fast.
        const clean = a !== undefined && a.lost === 0 && a.failedTotal === 0 && a.timedOut === 0
        tried.push({ concurrency: c, throughput: clean ? (probe.summary?.throughput.median ?? 0) : 0 })
      }
    }
    const best = tried.length ? tried.reduce((a, b) => (b.throughput > a.throughput ? b : a)).concurrency : o.candidates[0]
    const r = await runStress(spec(best, node), { ...hooks, calibrate, serverInProcess: true })
    if (tried.length) r.concurrencyProbe = { tried, chosen: best }
    return r
  } finally {
    await node.close()
  }
}

export function checksOf(r: StressResult): TargetCheck[] {
  const mw = runLabel(r)
  const ops = r.summary?.throughput.median
  const checks: TargetCheck[] = [
    { middleware: mw, what: 'completed moderate/s', target: `>= ${TARGET_OPS[r.middleware]}`, measured: ops === undefined ? r.state : String(Math.round(ops)), met: ops === undefined ? null : ops >= TARGET_OPS[r.middleware] },
    { middleware: mw, what: 'lost', target: '= 0', measured: r.summary ? String(r.summary.accounting.lost) : r.state, met: r.summary ? r.summary.accounting.lost === 0 : null },
  ]
  const c = r.calibration
  if (c) {
    checks.push({ middleware: mw, what: `fraction of ${c.baseline.name}`, target: `>= ${TARGET_BASELINE_RATIO}`, measured: c.ratio === undefined ? c.baseline.state : ratioWithRounds(c.ratio, c.pairedRatios), met: c.ratio === undefined ? null : c.ratio >= TARGET_BASELINE_RATIO })
    if (c.generator) {
      const g = c.generator
      checks.push({ middleware: mw, what: 'mwlab generator / autocannon', target: `>= ${TARGET_GENERATOR_RATIO}`, measured: g.ratio === undefined ? g.mwlab.state : ratioWithRounds(g.ratio, g.pairedRatios), met: g.ratio === undefined ? null : g.ratio >= TARGET_GENERATOR_RATIO })
    }
  }
  return checks
}
