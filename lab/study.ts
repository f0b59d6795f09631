// The whole study behind `npm run lab`: brokers, stress of every middleware, speedup over
// 1..N nodes for I/O- and CPU-bound work, an autoscaler run, and the report. A middleware
// that cannot run is skipped with its reason, here and in the report.
import { join } from 'node:path'
import { MIDDLEWARES, type MiddlewareName } from '../core/contract.ts'
import { needsBroker } from '../core/drivers.ts'
import { createLogger } from '../core/log.ts'
import { runAutoscale } from '../autoscale/run.ts'
import { runSpeedup } from '../speedup/run.ts'
import { runStress } from '../stress/engine.ts'
import type { RunSpec } from '../stress/result.ts'
import { writeJson, writeResult } from '../stress/output.ts'
import { SKIPPED_FILE } from '../report/load.ts'
import type { SkippedView } from '../report/model.ts'
import type { LabPlan } from './plan.ts'

const log = createLogger('lab')

export interface LabHooks {
  signal?: AbortSignal
  /** stage i of n started */
  onStage?: (i: number, n: number, what: string) => void
}

const BROKER_OF = { redis: 'redis', rabbitmq: 'rabbitmq', kafka: 'kafka' } as const

/** Starts (or finds) each broker on its own, so one that cannot start only skips its middleware. */
async function brokersFor(mws: readonly MiddlewareName[], skipped: SkippedView[]): Promise<MiddlewareName[]> {
  const { up } = await import('../brokers/index.ts')
  const usable: MiddlewareName[] = []
  await Promise.all(
    mws.map(async (mw) => {
      if (!needsBroker(mw)) return usable.push(mw)
      try {
        await up({ only: [BROKER_OF[mw]] })
        usable.push(mw)
      } catch (err) {
        skipped.push({ middleware: mw, stage: 'brokers', reason: (err as Error).message })
        log.warn(`${mw} skipped: ${(err as Error).message}`)
      }
    }),
  )
  return MIDDLEWARES.filter((m) => usable.includes(m))
}

export async function runLab(plan: LabPlan, dir: string, hooks: LabHooks = {}): Promise<{ dir: string; skipped: SkippedView[] }> {
  const skipped: SkippedView[] = []
  const stages: [string, MiddlewareName | undefined, () => Promise<void>][] = []
  let mws: MiddlewareName[] = []
  const keep = (mw: MiddlewareName, stage: string, reason: string) => {
    skipped.push({ middleware: mw, stage, reason })
    log.warn(`${mw} ${stage}: ${reason}`)
  }
  stages.push(['brokers', undefined, async () => void (mws = await brokersFor(MIDDLEWARES, skipped))])
  for (const mw of MIDDLEWARES) {
    stages.push([
      `stress ${mw}`,
      mw,
      async () => {
        if (!mws.includes(mw)) return
        const s = plan.stress
        const spec: RunSpec = {
          middleware: mw,
          op: 'moderate',
          load: { mode: 'closed', concurrency: s.concurrency },
          durationMs: s.durationMs,
          warmupMs: s.warmupMsFor[mw] ?? s.warmupMs,
          repeat: s.repeat,
          timeoutMs: 10_000,
          graceMs: 5000,
          nodes: 1,
          payload: 'complex',
          cost: { cpuMicros: 0, ioMillis: 0 },
          // The load runs in its own thread, as `mwlab stress` does by default.
          loadWorkers: 1,
          seed: 1,
        }
        const r = await runStress(spec, { signal: hooks.signal })
        writeResult(dir, r)
        // A failed run is listed as skipped by the report from its own result file.
        if (r.state === 'failed') return
        if (s.findMaxFor === 'all' || s.findMaxFor === mw) {
          // The rate-vs-latency curve: open-loop steps of findMaxStepMs each.
          const fm = await runStress({ ...spec, durationMs: s.findMaxStepMs }, { signal: hooks.signal, findMax: { p99BoundMs: 50 } })
          writeResult(dir, fm)
        }
      },
    ])
  }
  for (const work of ['io', 'cpu'] as const) {
    for (const mw of MIDDLEWARES) {
      stages.push([
        `speedup ${mw} ${work}`,
        mw,
        async () => {
          if (!mws.includes(mw)) return
          const s = plan.speedup
          const r = await runSpeedup(
            { middleware: mw, work, nodes: s.nodes, cost: s[work], durationMs: s.durationMs, warmupMs: s.warmupMsFor[mw] ?? s.warmupMs, repeat: s.repeat, jobConcurrency: 1, concurrencyPerNode: 4 },
            { signal: hooks.signal },
          )
          writeJson(dir, `speedup-${mw}-${work}`, r)
          if (r.state === 'partial') keep(mw, `speedup ${work}`, r.reason ?? r.state)
        },
      ])
    }
  }
  for (const mw of plan.autoscale.middlewares) {
    stages.push([
      `autoscale ${mw}`,
      mw,
      async () => {
        if (!mws.includes(mw)) return
        const r = await runAutoscale({ middleware: mw, profile: 'steps', max: 8, drainTargetMs: 2000, cooldownMs: 5000, tickMs: 1000, cost: { cpuMicros: 0, ioMillis: 10 }, timeScale: plan.autoscale.timeScale, signal: hooks.signal })
        writeJson(dir, `autoscale-${mw}-steps`, r)
      },
    ])
  }
  for (const [i, [what, mw, run]] of stages.entries()) {
    if (hooks.signal?.aborted) break
    hooks.onStage?.(i, stages.length, what)
    try {
      await run()
    } catch (err) {
      keep(mw ?? ('lab' as MiddlewareName), what, (err as Error).message)
    }
  }
  writeJson(dir, SKIPPED_FILE.replace(/\.json$/, ''), skipped)
  return { dir, skipped }
}

export function labDir(root: string): string {
  return join(root, `lab-${new Date().toISOString().replace(/[:.]/g, '-')}`)
}
