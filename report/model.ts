// What the report shows, independent of how each harness stores its JSON. Loaders in
// report/load.ts turn result files into this.

export interface ThroughputRow {
  middleware: string
  op: string
  mode: string
  nodes: number
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
}

export interface PercentilePoint {
  middleware: string
  percentile: number
  latencyMs: number
}

export interface RatePoint {
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

export interface SpeedupView {
  middleware: string
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

export interface AutoscaleView {
  middleware: string
  profile: string
  timeline: TimelineTick[]
  sent: number
  ok: number
  lost: number
  failed: number
  /** seconds from each load step to an empty backlog */
  drainTimes: { stepAt: number; drainedAfterS: number | null }[]
}

export interface SkippedView {
  middleware: string
  stage: string
  reason: string
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
