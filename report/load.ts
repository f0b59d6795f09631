// Reads a results directory (stress, speedup and autoscale JSON files, and the lab's
// skipped list) into the report model. Files of other kinds are ignored; unreadable ones
// are reported, not fatal.
import { readdir, readFile } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import type { AutoscaleResult } from '../autoscale/run.ts'
import { AUTOSCALE_SCHEMA } from '../autoscale/run.ts'
import { SPEEDUP_SCHEMA, type SpeedupResult } from '../speedup/result.ts'
import { RESULT_SCHEMA, runLabel, type StressResult } from '../stress/result.ts'
import type { ReportData, SkippedView, ThroughputRow } from './model.ts'

export const SKIPPED_FILE = 'skipped.json'
const ms = (us: number) => us / 1000
const REPORT_PERCENTILES = [50, 90, 99, 99.9, 99.99, 100]

function stressRows(r: StressResult, data: ReportData): void {
  const s = r.summary
  if (!s) {
    data.skipped.push({ middleware: r.middleware, stage: `stress ${r.op}`, reason: r.state === 'failed' ? r.error.message : r.state === 'partial' ? r.reason : 'no measurement' })
    return
  }
  const row: ThroughputRow = {
    middleware: runLabel(r),
    op: r.op,
    mode: r.mode,
    nodes: r.spec.nodes,
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
  }
  data.throughput.push(row)
  const label = r.spec.nodes > 1 ? `${runLabel(r)} (${r.spec.nodes} nodes)` : runLabel(r)
  for (const p of s.spectrum) {
    if (REPORT_PERCENTILES.includes(p.percentile)) data.percentiles.push({ middleware: label, percentile: p.percentile, latencyMs: ms(p.valueUs) })
  }
  for (const step of r.findMax?.steps ?? []) {
    if (step.latency) data.rateCurves.push({ middleware: label, offeredRate: step.rate, achievedRate: step.achieved, p99Ms: ms(step.latency.p99Us) })
  }
  data.environment[`${r.middleware} libraries`] = Object.entries(r.environment.libraries)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')
  if (r.environment.broker?.version) data.environment[`${r.middleware} broker`] = r.environment.broker.version
  data.environment.cores = r.environment.host.cores
  data.environment.cpu = r.environment.host.cpuModel
  data.environment.node = r.environment.node
}

function speedupView(r: SpeedupResult, data: ReportData): void {
  if (r.state === 'failed') {
    data.skipped.push({ middleware: r.middleware, stage: `speedup ${r.work}`, reason: r.reason ?? 'failed' })
    return
  }
  data.speedups.push({
    middleware: r.middleware,
    work: r.work,
    cost: r.cost,
    cores: r.cores,
    points: r.points.map((p) => ({ nodes: p.nodes, throughput: p.throughput.median, min: p.throughput.min, max: p.throughput.max, speedup: p.speedup, efficiency: p.efficiency })),
    amdahlSerialFraction: r.amdahlSerialFraction,
    mmc: r.mmc.map((m) => ({ nodes: m.nodes, speedup: m.speedup })),
    capNote: r.capNote,
  })
}

function autoscaleView(r: AutoscaleResult, data: ReportData): void {
  data.autoscale.push({
    middleware: r.middleware,
    profile: r.profile,
    sent: r.sent,
    ok: r.ok,
    lost: r.lost,
    failed: r.failed,
    timeline: r.timeline.map((t) => ({ t: t.t, lambda: t.lambda, backlog: t.backlog, workers: t.workers, completions: t.completions, p99Ms: t.p99Ms })),
    drainTimes: r.drainTimes,
  })
}

export async function loadResults(dir: string): Promise<{ data: ReportData; files: number; unreadable: string[] }> {
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
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort()
  const unreadable: string[] = []
  let files = 0
  for (const name of names) {
    let doc: { schema?: string } & Record<string, unknown>
    try {
      doc = JSON.parse(await readFile(join(dir, name), 'utf8'))
    } catch (err) {
      unreadable.push(`${name}: ${(err as Error).message}`)
      continue
    }
    if (name === SKIPPED_FILE && Array.isArray(doc)) {
      data.skipped.push(...(doc as SkippedView[]))
      files++
      continue
    }
    const docs = Array.isArray(doc) ? doc : [doc]
    for (const d of docs) {
      if (d.schema === RESULT_SCHEMA) stressRows(d as unknown as StressResult, data)
      else if (d.schema === SPEEDUP_SCHEMA) speedupView(d as unknown as SpeedupResult, data)
      else if (d.schema === AUTOSCALE_SCHEMA) autoscaleView(d as unknown as AutoscaleResult, data)
      else continue
      files++
    }
  }
  return { data, files, unreadable }
}
