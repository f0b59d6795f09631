// Reads a results directory (stress, speedup and autoscale JSON files, and the lab's
// skipped lists) into the report model. A file that is not an mwlab result, or a result
// with nothing to draw, is skipped and listed in the report, never fatal.
import { readdir, readFile } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import type { AutoscaleResult } from '../autoscale/run.ts'
import { AUTOSCALE_SCHEMA, drainLimitS } from '../autoscale/run.ts'
import { DEFAULT_POLICY } from '../cluster/autoscale-policy.ts'
import { DEFAULT_TICK_MS } from '../cluster/autoscaler.ts'
import type { Cost } from '../core/schemas.ts'
import { SPEEDUP_SCHEMA, type SpeedupResult } from '../speedup/result.ts'
import { RESULT_SCHEMA, runLabel, type StressResult } from '../stress/result.ts'
import type { AutoscaleView, ReportData, RunInfo, SkippedView, SpeedupView, ThroughputRow } from './model.ts'

export const SKIPPED_FILE = 'skipped.json'
/** writeJson names the list of a second lab run into the same folder skipped-2.json */
const SKIPPED_LIST = /^skipped(-\d+)?\.json$/
const DRAWN_SCHEMAS: string[] = [RESULT_SCHEMA, SPEEDUP_SCHEMA, AUTOSCALE_SCHEMA]
const ms = (us: number) => us / 1000
const REPORT_PERCENTILES = [50, 90, 99, 99.9, 99.99, 100]

/** A run and the configuration it measured: runs with equal keys are repeats of one another. */
interface Run<T extends RunInfo> {
  key: string
  /** ran to its end: preferred for the charts over a later partial run of the same configuration */
  complete: boolean
  /** what tells this configuration apart from others with the same chart label */
  detail: string
  view: T
}

interface StressRun extends Run<ThroughputRow> {
  percentiles: { percentile: number; latencyMs: number }[]
  rates: { offeredRate: number; achievedRate: number; p99Ms: number }[]
  environment: Record<string, string | number>
}

interface Loaded {
  stress: StressRun[]
  speedup: Run<SpeedupView>[]
  autoscale: Run<AutoscaleView>[]
}

function costLabel(c: Cost): string {
  return [c.cpuMicros ? `cpu ${c.cpuMicros} µs` : '', c.ioMillis ? `io ${c.ioMillis} ms` : ''].filter(Boolean).join(' + ')
}


/** Why a result cannot be drawn, or undefined if it can. */
function undrawable(d: Record<string, unknown>): string | undefined {
  if (d.schema === SPEEDUP_SCHEMA && d.state !== 'failed' && !(d as unknown as SpeedupResult).points?.length) return 'no measured points, nothing to draw'
  if (d.schema === AUTOSCALE_SCHEMA && !(d as unknown as AutoscaleResult).timeline?.length) return 'empty timeline, nothing to draw'
  return undefined
}

// The *Run functions read everything they need from the file, so a malformed one fails here, whole.

function stressRun(r: StressResult, runAt: string, file: string, loaded: Loaded, skipped: SkippedView[]): void {
  const s = r.summary
  // A failed run (no call succeeded, or it broke off) measured no throughput to chart.
  if (!s || r.state === 'failed') {
    skipped.push({ middleware: r.middleware, stage: `stress ${r.op}`, file, reason: r.state === 'failed' ? r.error.message : r.state === 'partial' ? r.reason : 'no measurement' })
    return
  }
  const load = r.spec.load.mode === 'closed' ? `c=${r.spec.load.concurrency}` : `${r.mode === 'find-max' ? 'from ' : ''}${r.spec.load.rate}/s`
  const config = [load, r.spec.payload, costLabel(r.spec.cost)].filter(Boolean).join(', ')
  const view: ThroughputRow = {
    middleware: runLabel(r),
    op: r.op,
    mode: r.mode,
    nodes: r.spec.nodes,
    config,
    series: '',
    runAt,
    superseded: false,
    opsPerSec: s.throughput.median,
    opsMin: s.throughput.min,
    opsMax: s.throughput.max,
    p50Ms: ms(s.latency.p50Us),
    p90Ms: ms(s.latency.p90Us),
    p99Ms: ms(s.latency.p99Us),
    p999Ms: ms(s.latency.p999Us),
    maxMs: ms(s.latency.maxUs),
    sent: s.accounting.sent,
    lost: s.accounting.lost,
    failed: s.accounting.failedTotal + s.accounting.timedOut,
    partial: r.state !== 'completed',
    ofBaseline: r.calibration?.ratio,
    ofBaselineRounds: r.calibration?.pairedRatios,
    cpu: s.cpu?.perCall,
    cpuClientOnly: s.cpu?.nodeCounted === false || undefined,
    rawCpu: r.calibration?.baseline.cpu && { name: r.calibration.baseline.name, perCall: r.calibration.baseline.cpu.perCall },
  }
  const env = r.environment
  const environment: Record<string, string | number> = {
    [`${r.middleware} libraries`]: Object.entries(env.libraries).map(([k, v]) => `${k} ${v}`).join(', '),
    cores: env.host.cores,
    cpu: env.host.cpuModel,
    node: env.node,
  }
  if (env.broker?.version) environment[`${r.middleware} broker`] = env.broker.version
  loaded.stress.push({
    complete: r.state === 'completed',
    // runLabel, not spec.batch: the queue middlewares ignore batch, so it is the same configuration.
    key: JSON.stringify([view.middleware, r.op, r.mode, r.spec.load, r.spec.nodes, r.spec.payload, r.spec.cost]),
    detail: config,
    view,
    percentiles: s.spectrum.filter((p) => REPORT_PERCENTILES.includes(p.percentile)).map((p) => ({ percentile: p.percentile, latencyMs: ms(p.valueUs) })),
    rates: (r.findMax?.steps ?? []).flatMap((step) => (step.latency ? [{ offeredRate: step.rate, achievedRate: step.achieved, p99Ms: ms(step.latency.p99Us) }] : [])),
    environment,
  })
}

function speedupRun(r: SpeedupResult, runAt: string, file: string, loaded: Loaded, skipped: SkippedView[]): void {
  if (r.state === 'failed') {
    skipped.push({ middleware: r.middleware, stage: `speedup ${r.work}`, file, reason: r.reason ?? 'failed' })
    return
  }
  const view: SpeedupView = {
    middleware: r.middleware,
    series: '',
    runAt,
    superseded: false,
    work: r.work,
    cost: r.cost,
    cores: r.cores,
    points: r.points.map((p) => ({ nodes: p.nodes, throughput: p.throughput.median, min: p.throughput.min, max: p.throughput.max, speedup: p.speedup, efficiency: p.efficiency })),
    amdahlSerialFraction: r.amdahlSerialFraction,
    mmc: r.mmc.map((m) => ({ nodes: m.nodes, speedup: m.speedup })),
    capNote: r.capNote,
  }
  loaded.speedup.push({
    complete: r.state === 'completed',
    key: JSON.stringify([r.middleware, r.work, r.cost, r.jobConcurrency, r.concurrencyPerNode]),
    detail: `${costLabel(r.cost)}, ${r.jobConcurrency} job(s)/worker, ${r.concurrencyPerNode} calls/slot`,
    view,
  })
}

/**
 * e.g. "max 8, 7 spares, io 10 ms": what tells two runs of a profile apart; drain target,
 * cool-down and tick only when not the defaults (spares absent from results older than it).
 */
export function autoscaleSettings(o: AutoscaleResult['options']): string {
  const parts = [`max ${o.max}`]
  if (o.spares !== undefined) parts.push(`${o.spares} spare${o.spares === 1 ? '' : 's'}`)
  if (o.cost) parts.push(`io ${o.cost.ioMillis} ms`)
  if (o.cost?.cpuMicros) parts.push(`cpu ${o.cost.cpuMicros} µs`)
  if (o.drainTargetMs !== undefined && o.drainTargetMs !== DEFAULT_POLICY.drainTargetMs) parts.push(`drain target ${o.drainTargetMs / 1000} s`)
  if (o.cooldownMs !== undefined && o.cooldownMs !== DEFAULT_POLICY.cooldownMs) parts.push(`cool-down ${o.cooldownMs / 1000} s`)
  if (o.tickMs !== undefined && o.tickMs !== DEFAULT_TICK_MS) parts.push(`tick ${o.tickMs / 1000} s`)
  if (o.timeScale !== 1) parts.push(`time ×${o.timeScale}`)
  return parts.join(', ')
}

function autoscaleRun(r: AutoscaleResult, runAt: string, loaded: Loaded): void {
  const view: AutoscaleView = {
    middleware: r.middleware,
    profile: r.profile,
    settings: autoscaleSettings(r.options),
    maxWorkers: r.maxWorkers,
    runAt,
    superseded: false,
    sent: r.sent,
    ok: r.ok,
    lost: r.lost,
    failed: r.failed,
    timeline: r.timeline.map((t) => ({ t: t.t, lambda: t.lambda, backlog: t.backlog, workers: t.workers, completions: t.completions, p99Ms: t.p99Ms })),
    drainTimes: r.drainTimes,
    drainPollMs: r.drainPollMs,
    drainLimitS: drainLimitS(r.options.drainTargetMs ?? DEFAULT_POLICY.drainTargetMs),
    partial: r.state !== 'completed',
  }
  loaded.autoscale.push({ complete: r.state === 'completed', key: JSON.stringify([r.middleware, r.profile, r.options]), detail: '', view })
}

/**
 * Marks all but one run of each key as superseded (charts never add up repeated runs): the
 * latest complete one, or the latest if none is complete, so an interrupted rerun does not
 * hide a whole earlier run. Returns the runs with repeats next to each other, oldest first.
 */
function settle<R extends Run<RunInfo>>(runs: R[]): R[] {
  const latest = new Map<string, R>()
  const better = (a: R, b: R) => (a.complete !== b.complete ? a.complete : a.view.runAt >= b.view.runAt)
  for (const run of runs) {
    const seen = latest.get(run.key)
    if (!seen || better(run, seen)) latest.set(run.key, run)
  }
  for (const run of runs) run.view.superseded = latest.get(run.key) !== run
  const firstSeen = [...latest.keys()]
  return [...runs].sort((a, b) => firstSeen.indexOf(a.key) - firstSeen.indexOf(b.key) || a.view.runAt.localeCompare(b.view.runAt))
}

/** Each configuration's chart label: its base label, plus its detail where two configurations share the base. */
function nameSeries<T extends RunInfo & { series: string }>(runs: Run<T>[], base: (v: T) => string): void {
  const keysPerBase = new Map<string, Set<string>>()
  for (const { key, view } of runs) keysPerBase.set(base(view), (keysPerBase.get(base(view)) ?? new Set()).add(key))
  for (const { view, detail } of runs) view.series = keysPerBase.get(base(view))!.size > 1 ? `${base(view)} [${detail}]` : base(view)
}

function addStress(runs: StressRun[], data: ReportData): void {
  nameSeries(runs, (v) => [v.middleware, v.nodes > 1 ? `(${v.nodes} nodes)` : '', v.op, v.mode === 'closed' ? '' : v.mode].filter(Boolean).join(' '))
  const byTime = [...runs].sort((a, b) => a.view.runAt.localeCompare(b.view.runAt))
  for (const run of byTime) Object.assign(data.environment, run.environment) // the latest run's versions win
  for (const run of settle(runs)) {
    data.throughput.push(run.view)
    if (run.view.superseded) continue
    data.percentiles.push(...run.percentiles.map((p) => ({ middleware: run.view.series, ...p })))
    data.rateCurves.push(...run.rates.map((p) => ({ middleware: run.view.series, ...p })))
  }
}

function addSpeedups(runs: Run<SpeedupView>[], data: ReportData): void {
  // one chart per kind of work, so labels need only be unique within one
  for (const work of ['io', 'cpu']) nameSeries(runs.filter((r) => r.view.work === work), (v) => v.middleware)
  data.speedups.push(...settle(runs).map((r) => r.view))
}

/** files: how many mwlab results and skipped lists were found, drawn or not. */
export async function loadResults(dir: string): Promise<{ data: ReportData; files: number; skipped: SkippedView[] }> {
  const data: ReportData = {
    generatedAt: new Date().toISOString(),
    environment: { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${os.platform()} ${os.release()}` },
    throughput: [],
    percentiles: [],
    rateCurves: [],
    speedups: [],
    autoscale: [],
    skipped: [],
  }
  let entries: string[]
  try {
    entries = await readdir(dir)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new Error(`no results folder at ${dir}`)
    throw err
  }
  const names = entries.filter((n) => n.endsWith('.json')).sort()
  const loaded: Loaded = { stress: [], speedup: [], autoscale: [] }
  const skipped: SkippedView[] = []
  let files = 0
  for (const name of names) {
    let doc: unknown
    try {
      doc = JSON.parse(await readFile(join(dir, name), 'utf8'))
    } catch (err) {
      skipped.push({ middleware: '', stage: '', file: name, reason: `not readable JSON: ${(err as Error).message}` })
      continue
    }
    if (SKIPPED_LIST.test(name) && Array.isArray(doc)) {
      data.skipped.push(...(doc as SkippedView[]))
      files++
      continue
    }
    const docs = (Array.isArray(doc) ? doc : [doc]) as ({ schema?: unknown } & Record<string, unknown>)[]
    for (const d of docs) {
      const schema = typeof d?.schema === 'string' ? d.schema : ''
      if (!DRAWN_SCHEMAS.includes(schema)) {
        // Other mwlab files (e.g. the bench summary) hold nothing the report draws: not worth a warning.
        if (!schema.startsWith('mwlab.')) skipped.push({ middleware: '', stage: '', file: name, reason: 'not an mwlab result' })
        continue
      }
      files++ // an mwlab result, even if skipped below
      const stage = schema.slice('mwlab.'.length).split('/')[0]
      const middleware = typeof d.middleware === 'string' ? d.middleware : ''
      const cannot = undrawable(d)
      if (cannot) {
        skipped.push({ middleware, stage, file: name, reason: cannot })
        continue
      }
      try {
        // Every result schema has carried createdAt since the first one.
        const runAt = typeof d.createdAt === 'string' ? d.createdAt : ''
        if (schema === RESULT_SCHEMA) stressRun(d as unknown as StressResult, runAt, name, loaded, skipped)
        else if (schema === SPEEDUP_SCHEMA) speedupRun(d as unknown as SpeedupResult, runAt, name, loaded, skipped)
        else autoscaleRun(d as unknown as AutoscaleResult, runAt, loaded)
      } catch (err) {
        skipped.push({ middleware, stage, file: name, reason: `malformed result: ${(err as Error).message}` })
      }
    }
  }
  addStress(loaded.stress, data)
  addSpeedups(loaded.speedup, data)
  data.autoscale.push(...settle(loaded.autoscale).map((r) => r.view))
  data.skipped.push(...skipped)
  return { data, files, skipped }
}
