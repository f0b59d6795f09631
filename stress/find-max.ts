// Saturation is found by stepping the open-loop rate, not guessed: a short closed-loop
// probe estimates capacity, then rates step up from half of it until the p99 passes the
// bound or completions fall behind arrivals, and one more step bisects the last gap. The
// answer is the highest rate that held, with the whole rate-vs-latency curve.
import type { LatencySummary } from './histogram.ts'
import { NO_SUCCESS, runLoad, type LoadPlan, type RunHooks } from './load-run.ts'
import type { LoadOutcome } from './result.ts'
import type { Accounting, TargetSpec } from './types.ts'

export interface FindMaxOptions {
  /** A rate holds only while its p99 stays at or under this. Default 50 ms. */
  p99BoundMs: number
  /** First rate to try; default: half of what the closed-loop probe sustained. */
  startRate?: number
  /** Closed-loop concurrency of the capacity probe. Default 64. */
  probeConcurrency?: number
  /** Upper bound on steps (excluding the probe). Default 12. */
  maxSteps?: number
}

export interface FindMaxStep {
  rate: number
  /** ok completions per second inside the window. */
  achieved: number
  latency?: LatencySummary
  accounting?: Accounting
  sustainable: boolean
  /** Why a step did not hold. */
  why?: string
}

export interface FindMaxReport {
  p99BoundMs: number
  probe?: { concurrency: number; throughput: number }
  maxSustainableRate: number | null
  steps: FindMaxStep[]
}

/** Completions must keep up with arrivals to within this fraction. */
const KEEP_UP = 0.95
/** At most this fraction of calls may fail or time out at a sustainable rate. */
const MAX_ERROR_FRACTION = 0.001
const MULTIPLIERS = [0.5, 0.7, 0.85, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4]

export function judge(rate: number, o: LoadOutcome, boundMs: number): FindMaxStep {
  const s = o.summary
  if (o.state === 'failed' || !s) return { rate, achieved: 0, sustainable: false, why: o.error?.message ?? 'run failed' }
  const achieved = s.throughput.median
  const a = s.accounting
  const step: FindMaxStep = { rate, achieved, latency: s.latency, accounting: a, sustainable: false }
  if (s.latency.p99Us > boundMs * 1000) step.why = `p99 ${(s.latency.p99Us / 1000).toFixed(1)} ms > ${boundMs} ms`
  else if (achieved < KEEP_UP * rate) step.why = `completions ${Math.round(achieved)}/s fell behind ${Math.round(rate)}/s`
  else if (a.lost > 0 || a.skipped > 0) step.why = `${a.lost} lost, ${a.skipped} skipped`
  else if (a.failedTotal + a.timedOut > MAX_ERROR_FRACTION * a.sent) step.why = `${a.failedTotal} failed, ${a.timedOut} timed out`
  else step.sustainable = true
  return step
}

/** Halvings tried below a first rate that was already too much. */
const MAX_STEPS_DOWN = 4

export async function findMax(
  target: TargetSpec,
  plan: LoadPlan,
  o: FindMaxOptions,
  hooks: RunHooks & { onStage?: (s: string) => void } = {},
): Promise<{ report: FindMaxReport; best?: LoadOutcome; state: 'completed' | 'partial'; reason?: string }> {
  const report: FindMaxReport = { p99BoundMs: o.p99BoundMs, maxSustainableRate: null, steps: [] }
  const stepPlan = (rate: number): LoadPlan => ({ ...plan, load: { mode: 'open', rate }, repeat: 1, warmupMs: Math.min(plan.warmupMs, 1000) })
  let rates: number[]
  if (o.startRate) {
    rates = MULTIPLIERS.slice(1).map((m) => Math.round((o.startRate as number) * m * 2))
    rates.unshift(o.startRate)
  } else {
    const concurrency = o.probeConcurrency ?? 64
    hooks.onStage?.(`find-max: closed-loop probe at ${concurrency} in flight`)
    const probe = await runLoad(target, { ...plan, load: { mode: 'closed', concurrency }, repeat: 1, durationMs: Math.min(plan.durationMs, 3000) }, hooks)
    const capacity = probe.summary?.throughput.median ?? 0
    report.probe = { concurrency, throughput: capacity }
    if (probe.state === 'failed' || capacity <= 0) return { report, state: 'partial', reason: `probe failed: ${probe.error?.message ?? 'no completions'}` }
    rates = MULTIPLIERS.map((m) => Math.max(1, Math.round(capacity * m)))
  }
  rates = rates.slice(0, o.maxSteps ?? 12)
  let best: LoadOutcome | undefined
  let lastGood: number | undefined
  let firstBad: number | undefined
  let broken = false
  const tryRate = async (rate: number) => {
    hooks.onStage?.(`find-max: open loop at ${rate} ops/s`)
    const outcome = await runLoad(target, stepPlan(rate), hooks)
    // Failed for another reason than load (unreachable, broke off): a lower rate will not help.
    broken = outcome.state === 'failed' && outcome.error?.code !== NO_SUCCESS
    const step = judge(rate, outcome, o.p99BoundMs)
    report.steps.push(step)
    if (step.sustainable && (report.maxSustainableRate === null || rate > report.maxSustainableRate)) {
      report.maxSustainableRate = rate
      best = outcome
    }
    return step.sustainable
  }
  for (const rate of rates) {
    if (hooks.signal?.aborted) break
    if (await tryRate(rate)) lastGood = rate
    else {
      firstBad = rate
      break
    }
  }
  // Even the first rate was too much: step down until one holds, so there is a bracket.
  for (let down = 0; !hooks.signal?.aborted && !broken && lastGood === undefined && firstBad !== undefined && firstBad > 1 && down < MAX_STEPS_DOWN; down++) {
    const rate = Math.max(1, Math.round(firstBad / 2))
    if (await tryRate(rate)) lastGood = rate
    else firstBad = rate
  }
  // One bisection step between the last rate that held and the first that did not.
  if (!hooks.signal?.aborted && lastGood !== undefined && firstBad !== undefined && firstBad - lastGood > 0.05 * lastGood) {
    await tryRate(Math.round((lastGood + firstBad) / 2))
  }
  report.steps.sort((a, b) => a.rate - b.rate)
  if (hooks.signal?.aborted) return { report, best, state: 'partial', reason: 'interrupted' }
  if (firstBad === undefined) return { report, best, state: 'partial', reason: 'no rate tried was too much: raise --rate' }
  if (lastGood === undefined) return { report, best, state: 'partial', reason: `no rate held, down to ${firstBad} ops/s` }
  return { report, best, state: 'completed' }
}
