// The typed result of a stress run (a union keyed on `state`), and how shards from the
// load generators become repetitions and a summary. Throughput counts ok completions
// inside the window only; latency histograms are merged by adding counts.
import type { MiddlewareName } from '../core/contract.ts'
import { addAccounting, balances, emptyAccounting } from './accounting.ts'
import type { CalibrationEntry } from './calibrate/types.ts'
import { perCall, type CpuPerCall, type CpuUse } from './cpu-meter.ts'
import type { Environment } from './environment.ts'
import type { FindMaxReport } from './find-max.ts'
import { encode, mergeEncoded, spectrum, summarize, type LatencySummary, type SpectrumPoint } from './histogram.ts'
import type { Accounting, LoadModel, PayloadKind, Shard, StressOp } from './types.ts'
import type { Cost } from '../core/schemas.ts'

export const RESULT_SCHEMA = 'mwlab.stress/1' as const

export interface RepetitionResult {
  index: number
  startedAt: string
  /** Measured window, ms (shorter than asked for when stopped). */
  windowMs: number
  /** ok completions inside the window per second. */
  throughput: number
  accounting: Accounting
  /** `sent = ok + failed + timedOut + lost` holds. */
  balanced: boolean
  latency: LatencySummary
  spectrum: SpectrumPoint[]
  /** The merged latency histogram (µs, compressed base64): results can be merged again later. */
  histogram: string
  /** Open loop: how late the generators sent relative to the schedule; a large tail means the generator was the bottleneck. */
  sendLag?: LatencySummary
  generators: number
  stopped: boolean
  /** CPU used in the window (Linux only), and per call completed in it (stress/cpu-meter.ts). */
  cpu?: CpuUse
  cpuPerCall?: CpuPerCall
}

export interface Spread {
  median: number
  min: number
  max: number
  mean: number
  /** Sample standard deviation (0 for a single repetition). */
  stdev: number
  n: number
}

export interface LoadSummary {
  throughput: Spread
  /** Over all repetitions' samples together. */
  latency: LatencySummary
  spectrum: SpectrumPoint[]
  histogram: string
  accounting: Accounting
  balanced: boolean
  cpu?: CpuSummary
}

/** Medians over the repetitions that recorded CPU. */
export interface CpuSummary {
  perCall: CpuPerCall
  /**
   * The node under test ran in this process or one it started, so its CPU is in perCall; false
   * for a node given with --server (only the load generator's side is then counted).
   */
  nodeCounted?: boolean
  machineBusy: number
  machineSteal: number
  cores: number
}

/** What one load run (warm-up + repetitions) produced. */
export interface LoadOutcome {
  state: 'completed' | 'partial' | 'failed'
  reason?: string
  error?: ErrorInfo
  warmup?: Accounting
  repetitions: RepetitionResult[]
  summary?: LoadSummary
}

export interface ErrorInfo {
  code: string
  message: string
}

export interface RunSpec {
  middleware: MiddlewareName
  op: StressOp
  load: LoadModel
  durationMs: number
  warmupMs: number
  repeat: number
  timeoutMs: number
  graceMs: number
  nodes: number
  payload: PayloadKind
  cost: Cost
  loadWorkers: number
  seed: number
  /** The client batched concurrent calls (JSON-RPC batches); recorded because it changes what a latency means. */
  batch?: boolean
  /** An existing node to stress instead of starting one. */
  server?: string
  broker?: string
}

interface ResultBase {
  schema: typeof RESULT_SCHEMA
  id: string
  createdAt: string
  finishedAt: string
  middleware: MiddlewareName
  op: StressOp
  mode: 'closed' | 'open' | 'find-max'
  spec: RunSpec
  environment: Environment
  warmup?: Accounting
  repetitions: RepetitionResult[]
  calibration?: CalibrationEntry
  findMax?: FindMaxReport
  /** How the closed-loop concurrency was chosen (bench: brief runs at each candidate, best kept). */
  concurrencyProbe?: { tried: { concurrency: number; throughput: number }[]; chosen: number }
}

export type StressResult =
  | (ResultBase & { state: 'completed'; summary: LoadSummary })
  | (ResultBase & { state: 'partial'; reason: string; summary?: LoadSummary })
  | (ResultBase & { state: 'failed'; error: ErrorInfo; summary?: LoadSummary })

export function repetitionFrom(index: number, startedAt: Date, shards: Shard[], cpu?: CpuUse): RepetitionResult {
  const latency = mergeEncoded(shards.map((s) => s.latency))
  const lagParts = shards.flatMap((s) => (s.sendLag ? [s.sendLag] : []))
  const accounting = shards.reduce((a, s) => addAccounting(a, s.accounting), emptyAccounting())
  const windowMs = Math.max(1, mean(shards.map((s) => s.windowMs)))
  const okInWindow = shards.reduce((n, s) => n + s.okInWindow, 0)
  const rep: RepetitionResult = {
    index,
    startedAt: startedAt.toISOString(),
    windowMs: Math.round(windowMs),
    throughput: round1((okInWindow * 1000) / windowMs),
    accounting,
    balanced: balances(accounting),
    latency: summarize(latency),
    spectrum: spectrum(latency),
    histogram: encode(latency),
    generators: shards.length,
    stopped: shards.some((s) => s.stopped),
  }
  if (lagParts.length) rep.sendLag = summarize(mergeEncoded(lagParts))
  if (cpu) {
    rep.cpu = cpu
    rep.cpuPerCall = perCall(cpu, okInWindow)
  }
  latency.destroy()
  return rep
}

export function summaryOf(reps: RepetitionResult[]): LoadSummary | undefined {
  if (reps.length === 0) return undefined
  const merged = mergeEncoded(reps.map((r) => r.histogram))
  const accounting = reps.reduce((a, r) => addAccounting(a, r.accounting), emptyAccounting())
  const s: LoadSummary = {
    throughput: spreadOf(reps.map((r) => r.throughput)),
    latency: summarize(merged),
    spectrum: spectrum(merged),
    histogram: encode(merged),
    accounting,
    balanced: balances(accounting),
  }
  const cpu = cpuSummaryOf(reps)
  if (cpu) s.cpu = cpu
  merged.destroy()
  return s
}

function cpuSummaryOf(reps: RepetitionResult[]): CpuSummary | undefined {
  const withCpu = reps.filter((r) => r.cpu && r.cpuPerCall)
  if (withCpu.length === 0) return undefined
  const perCall: CpuPerCall = { ownUs: round1(medianOf(withCpu.map((r) => r.cpuPerCall!.ownUs))) }
  const broker = withCpu.flatMap((r) => (r.cpuPerCall!.brokerUs === undefined ? [] : [r.cpuPerCall!.brokerUs]))
  if (broker.length === withCpu.length) perCall.brokerUs = round1(medianOf(broker))
  const round3 = (x: number) => Math.round(x * 1000) / 1000
  return {
    perCall,
    machineBusy: round3(medianOf(withCpu.map((r) => r.cpu!.machineBusy))),
    machineSteal: round3(medianOf(withCpu.map((r) => r.cpu!.machineSteal))),
    cores: withCpu[0].cpu!.cores,
  }
}

export function spreadOf(xs: number[]): Spread {
  const sorted = [...xs].sort((a, b) => a - b)
  const n = sorted.length
  if (n === 0) return { median: 0, min: 0, max: 0, mean: 0, stdev: 0, n: 0 }
  const m = mean(sorted)
  const median = medianOf(sorted)
  const stdev = n > 1 ? Math.sqrt(sorted.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1)) : 0
  return { median: round1(median), min: sorted[0], max: sorted[n - 1], mean: round1(m), stdev: round1(stdev), n }
}

function medianOf(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const n = s.length
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
}

function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0
}

function round1(x: number): number {
  return Math.round(x * 10) / 10
}

/** How a run is named in tables and charts: the middleware, marked when its client batched or streamed calls. */
export function runLabel(r: Pick<StressResult, 'middleware' | 'spec' | 'op'>): string {
  // Only rpc and grpc change their wire with batch on; the queue middlewares ignore it, and
  // the gRPC stream carries moderate only.
  if (!r.spec.batch) return r.middleware
  if (r.middleware === 'rpc') return 'rpc+batch'
  if (r.middleware === 'grpc' && r.op === 'moderate') return 'grpc+stream'
  return r.middleware
}
