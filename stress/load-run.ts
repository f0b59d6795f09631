// One load run against one target: open the generators, warm up (not recorded), run the
// measured repetitions back to back, and turn their shards into results. Stopping (the
// signal) ends the current window at once; what was measured so far is kept, marked partial.
import { MwlabError } from '../core/errors.ts'
import { addAccounting, emptyAccounting } from './accounting.ts'
import { CpuMeter, cpuBetween, type CpuSnapshot } from './cpu-meter.ts'
import { LoadPool } from './load-pool.ts'
import { repetitionFrom, summaryOf, type ErrorInfo, type LoadOutcome, type RepetitionResult } from './result.ts'
import type { Accounting, LoadModel, PhaseTimings, ProgressSnapshot, TargetSpec } from './types.ts'

export interface LoadPlan extends PhaseTimings {
  load: LoadModel
  warmupMs: number
  durationMs: number
  repeat: number
  /** Worker threads generating load (0: in this thread). */
  loadWorkers: number
  seed: number
  maxInFlight?: number
  /** The local broker's processes, whose CPU each repetition records (stress/cpu-meter.ts). */
  brokerPids?: number[]
}

export interface RunProgress extends ProgressSnapshot {
  repeat: number
  durationMs: number
}

export interface RunHooks {
  signal?: AbortSignal
  onProgress?: (p: RunProgress) => void
}

export function errorInfo(err: unknown): ErrorInfo {
  if (err instanceof MwlabError) return { code: err.code, message: err.message }
  if (err instanceof Error) return { code: err.name, message: err.message }
  return { code: 'UNKNOWN', message: String(err) }
}

/** The error code of a run whose calls all failed: the target answered, with errors. */
export const NO_SUCCESS = 'NO_SUCCESS'

/** Calls were made and not one succeeded: the run measured a failure, not a throughput. */
function noCallSucceeded(acc: Accounting | undefined): ErrorInfo | undefined {
  if (!acc || acc.sent === 0 || acc.ok > 0) return undefined
  const outcomes = Object.entries(acc.failed).map(([code, n]) => [code, n] as const)
  if (acc.timedOut) outcomes.push(['timed out', acc.timedOut])
  if (acc.lost) outcomes.push(['lost', acc.lost])
  outcomes.sort((a, b) => b[1] - a[1])
  return { code: NO_SUCCESS, message: `no call succeeded out of ${acc.sent}: ${outcomes.map(([k, n]) => `${k} ${n}`).join(', ')}` }
}

/**
 * One target's generators, kept open so phases can be run one at a time: runLoad runs them
 * back to back, calibration interleaves the repetitions of several targets so that drift in
 * a shared machine's load hits them all alike.
 */
export class LoadRun {
  private readonly repetitions: RepetitionResult[] = []
  private warmupAccounting?: Accounting
  private error?: ErrorInfo
  private readonly stop = () => this.pool.stop()
  private readonly meter: CpuMeter | undefined

  private constructor(
    private readonly pool: LoadPool,
    private readonly plan: LoadPlan,
    private readonly hooks: RunHooks,
  ) {
    hooks.signal?.addEventListener('abort', this.stop, { once: true })
    if (hooks.signal?.aborted) this.stop()
    this.meter = CpuMeter.open(plan.brokerPids)
  }

  static async open(target: TargetSpec, plan: LoadPlan, hooks: RunHooks = {}): Promise<LoadRun> {
    const pool = await LoadPool.open(target, { workers: plan.loadWorkers, seed: plan.seed, timeoutMs: plan.timeoutMs, graceMs: plan.graceMs, maxInFlight: plan.maxInFlight })
    return new LoadRun(pool, plan, hooks)
  }

  /** A phase failed; the run measures nothing more. */
  get failed(): boolean {
    return this.error !== undefined
  }

  private get usable(): boolean {
    return !this.error && !this.hooks.signal?.aborted
  }

  private progress(durationMs: number) {
    return (s: ProgressSnapshot) => this.hooks.onProgress?.({ ...s, repeat: this.plan.repeat, durationMs })
  }

  async warmup(): Promise<void> {
    if (this.plan.warmupMs <= 0 || !this.usable) return
    try {
      const shards = await this.pool.runPhase('warmup', 0, this.plan.load, this.plan.warmupMs, this.progress(this.plan.warmupMs))
      this.warmupAccounting = shards.reduce((a, s) => addAccounting(a, s.accounting), emptyAccounting())
    } catch (err) {
      this.error = errorInfo(err)
    }
  }

  /** Runs repetition `index`; a failure ends this run (later calls do nothing) and shows in outcome(). */
  async measure(index: number): Promise<void> {
    if (!this.usable) return
    const meter = this.meter
    const from = meter?.read()
    // The window's end, not the phase's: after it, the phase waits for its last answers.
    let to: CpuSnapshot | undefined
    const end = meter && setTimeout(() => (to = meter.read()), this.plan.durationMs)
    try {
      const startedAt = new Date()
      const shards = await this.pool.runPhase('measure', index, this.plan.load, this.plan.durationMs, this.progress(this.plan.durationMs))
      clearTimeout(end)
      // A window cut short (Ctrl-C) ended before the timer: its CPU is not known, so none is
      // recorded. One that ran its length can still beat the timer here (the generators' end
      // message handled first, with nothing left to drain): its end is now.
      const stopped = shards.some((s) => s.stopped)
      if (meter && !stopped) to ??= meter.read()
      this.repetitions.push(repetitionFrom(index, startedAt, shards, stopped || !from || !to ? undefined : cpuBetween(from, to)))
    } catch (err) {
      clearTimeout(end)
      this.error = errorInfo(err)
    }
  }

  outcome(): LoadOutcome {
    const common = { warmup: this.warmupAccounting, repetitions: this.repetitions, summary: summaryOf(this.repetitions) }
    if (this.error) return { ...common, state: 'failed', error: this.error }
    // Interrupted before any call succeeded is still an interruption, not a failed target.
    if (this.hooks.signal?.aborted || this.repetitions.length < this.plan.repeat) return { ...common, state: 'partial', reason: 'interrupted' }
    const nothingWorked = noCallSucceeded(common.summary?.accounting)
    if (nothingWorked) return { ...common, state: 'failed', error: nothingWorked }
    return { ...common, state: 'completed' }
  }

  async close(): Promise<void> {
    this.hooks.signal?.removeEventListener('abort', this.stop)
    await this.pool.close()
  }
}

export async function runLoad(target: TargetSpec, plan: LoadPlan, hooks: RunHooks = {}): Promise<LoadOutcome> {
  let run: LoadRun
  try {
    run = await LoadRun.open(target, plan, hooks)
  } catch (err) {
    return { state: 'failed', error: errorInfo(err), repetitions: [] }
  }
  try {
    await run.warmup()
    for (let i = 0; i < plan.repeat; i++) await run.measure(i)
    return run.outcome()
  } finally {
    await run.close()
  }
}
