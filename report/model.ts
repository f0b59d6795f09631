// What the report shows, independent of how each harness stores its JSON. Loaders in
// report/load.ts turn result files into this.
import { timesRaw, type CpuPerCall } from '../stress/cpu-meter.ts'
import { cpuCell } from '../stress/table.ts'

/** Every run is kept for the tables; charts draw only the latest run of each configuration. */
export interface RunInfo {
  /** when the run was made (ISO), so repeated runs can be told apart */
  runAt: string
  /** a later run of the same configuration exists, so the charts leave this one out */
  superseded: boolean
}

export interface ThroughputRow extends RunInfo {
  middleware: string
  op: string
  mode: string
  nodes: number
  /** load, payload and cost, e.g. "c=64, complex, io 5 ms" */
  config: string
  /** the chart label of this configuration, unique among the charted rows */
  series: string
  /** median over repetitions, ops/s */
  opsPerSec: number
  opsMin: number
  opsMax: number
  p50Ms: number
  p90Ms: number
  p99Ms: number
  p999Ms: number
  maxMs: number
  sent: number
  lost: number
  failed: number
  partial: boolean
  /** fraction of the raw client-library baseline measured in the same run, if any */
  ofBaseline?: number
  /** that fraction round by round (repetitions run back to back), when recorded */
  ofBaselineRounds?: number[]
  /** CPU per completed call, µs (median over repetitions): mwlab's processes, and the broker's when known */
  cpu?: CpuPerCall
  /** the node was given with --server: its CPU is not in `cpu` */
  cpuClientOnly?: boolean
  /** the same for the raw baseline, and its name */
  rawCpu?: { name: string; perCall: CpuPerCall }
}

export interface PercentilePoint {
  /** the run's chart label (ThroughputRow.series) */
  middleware: string
  percentile: number
  latencyMs: number
}

export interface RatePoint {
  /** the run's chart label (ThroughputRow.series) */
  middleware: string
  offeredRate: number
  achievedRate: number
  p99Ms: number
}

export interface SpeedupPointView {
  nodes: number
  throughput: number
  min: number
  max: number
  speedup: number
  efficiency: number
}

export interface SpeedupView extends RunInfo {
  middleware: string
  /** the chart label of this configuration, unique among the charted views of one work */
  series: string
  work: 'io' | 'cpu'
  cost: { cpuMicros: number; ioMillis: number }
  cores: number
  points: SpeedupPointView[]
  amdahlSerialFraction: number
  /** speedup M/M/c predicts at each node count */
  mmc: { nodes: number; speedup: number }[]
  /** set when the machine, not the middleware, caps the result */
  capNote?: string
}

export interface TimelineTick {
  t: number
  lambda: number
  backlog: number
  workers: number
  completions: number
  p99Ms: number
}

export interface AutoscaleView extends RunInfo {
  middleware: string
  profile: string
  /** what sets one run apart from another of the same profile: --max, spares, I/O per job, time scale */
  settings: string
  timeline: TimelineTick[]
  /** the most workers the pool ran, as the run recorded it */
  maxWorkers: number
  sent: number
  ok: number
  lost: number
  failed: number
  /** seconds from each load step to a drained backlog; reached false: interrupted before the step */
  drainTimes: { stepAt: number; reached?: boolean; drainedAfterS: number | null }[]
  /** how often the backlog was read for them, ms; undefined: at each tick (results made before 03808a3) */
  drainPollMs?: number
  /** the bar each drain time is held to, s (drain target + 2 s) */
  drainLimitS: number
  /** interrupted (partial) runs say so next to their drain times */
  partial: boolean
}


export interface SkippedView {
  middleware: string
  stage: string
  reason: string
  /** the result file, when the report itself skipped it */
  file?: string
}

/** "redis autoscale, 20261123-...json" or just the file name: what was skipped, in one line. */
export function skippedLabel(s: SkippedView): string {
  return [[s.middleware, s.stage].filter(Boolean).join(' '), s.file].filter(Boolean).join(', ')
}

export interface ReportData {
  generatedAt: string
  environment: Record<string, string | number>
  throughput: ThroughputRow[]
  percentiles: PercentilePoint[]
  rateCurves: RatePoint[]
  speedups: SpeedupView[]
  autoscale: AutoscaleView[]
  skipped: SkippedView[]
}

/** 2026-11-23T15:44:58.972Z -> 2026-11-23 15:44:58 (UTC), as the tables and titles show a run. */
export function runTime(runAt: string): string {
  return runAt ? runAt.slice(0, 19).replace('T', ' ') : 'unknown'
}

/** The run's time, marked when a later run of the same configuration replaces it in the charts. */
export function runCell(r: RunInfo): string {
  return runTime(r.runAt) + (r.superseded ? ' (superseded)' : '')
}

export const SUPERSEDED_NOTE = 'Some configurations were run more than once: the tables list every run, the charts show only the latest; older runs are marked superseded.'

export function anySuperseded(data: ReportData): boolean {
  return [...data.throughput, ...data.speedups, ...data.autoscale].some((r) => r.superseded)
}

/** "70 + 12 (ioredis 38 + 5)": a run's CPU per call beside its raw baseline's; empty when not recorded. */
export function cpuText(r: Pick<ThroughputRow, 'cpu' | 'rawCpu' | 'cpuClientOnly'>): string {
  if (!r.cpu) return ''
  const notes: string[] = []
  if (r.cpuClientOnly) notes.push('node not counted')
  if (r.rawCpu) {
    const times = timesRaw(r.cpu, r.rawCpu.perCall, !r.cpuClientOnly)
    notes.push(`${r.rawCpu.name} ${cpuCell(r.rawCpu.perCall)}${times === undefined ? '' : `; ${times.toFixed(2)}×`}`)
  }
  return cpuCell(r.cpu) + (notes.length ? ` (${notes.join('; ')})` : '')
}
