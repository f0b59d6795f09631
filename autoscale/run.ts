// A real autoscaler run: a master of a queue middleware starts with one worker, an open
// loop sends moderate jobs following a profile, and the autoscaler resizes the pool every
// tick. Every job is accounted for: ok, failed, or lost (never answered).
import { randomUUID } from 'node:crypto'
import type { MiddlewareName, ReviewClient } from '../core/contract.ts'
import { loadDriver } from '../core/drivers.ts'
import { createLogger } from '../core/log.ts'
import type { Cost } from '../core/schemas.ts'
import { AutoscalePolicy, DEFAULT_POLICY } from '../cluster/autoscale-policy.ts'
import { Autoscaler, type TickRecord } from '../cluster/autoscaler.ts'
import { createHistogram, recordMs } from '../stress/histogram.ts'
import { startNode } from '../stress/topology.ts'
import { DRAIN_POLL_MS, watchDrains, type DrainTime } from './drain-watch.ts'
import { profile as makeProfile, type ProfileName } from './profiles.ts'

const log = createLogger('autoscale')

export const AUTOSCALE_SCHEMA = 'mwlab.autoscale/1'

export interface AutoscaleOptions {
  middleware: MiddlewareName
  profile: ProfileName
  max: number
  drainTargetMs: number
  cooldownMs: number
  tickMs: number
  cost: Cost
  /** stretches the profile in time (1: about 30 s) */
  timeScale: number
  /** worker processes the master keeps loaded and idle, so a scale-up is not a process start (default: max - 1) */
  spares?: number
  broker?: string
  signal?: AbortSignal
  onTick?: (r: TimelineEntry) => void
}

export interface TimelineEntry extends TickRecord {
  /** p99 of the jobs completed during the tick, from their intended send time, ms */
  p99Ms: number
  offered: number
}

export interface AutoscaleResult {
  schema: typeof AUTOSCALE_SCHEMA
  state: 'completed' | 'partial' | 'failed'
  reason?: string
  /** seconds into the profile when Ctrl-C stopped the sending (state partial) */
  interruptedAtS?: number
  middleware: MiddlewareName
  profile: ProfileName
  createdAt: string
  options: Omit<AutoscaleOptions, 'signal' | 'onTick' | 'broker'>
  /** jobs/s one worker serves, as assumed for the profile (the autoscaler measures its own) */
  workerCapacity: number
  sent: number
  ok: number
  failed: number
  lost: number
  maxWorkers: number
  timeline: TimelineEntry[]
  /** per step, read from the backlog every `drainPollMs` (autoscale/drain-watch.ts) */
  drainTimes: DrainTime[]
  /** how often the backlog was read for the drain times, ms (absent: at each tick, in older results) */
  drainPollMs?: number
}

/** One step's drain time as tables and summaries show it (results older than `reached` count as reached). */
function drainCell(d: { reached?: boolean; drainedAfterS: number | null }): string {
  if (d.reached === false) return 'not reached'
  return d.drainedAfterS === null ? 'not drained' : `${d.drainedAfterS.toFixed(1)} s`
}

/** The bar for a drain: within the drain target Tr plus 2 s of the step. */
export function drainLimitS(drainTargetMs: number): number {
  return drainTargetMs / 1000 + 2
}

/** Every step's cell and the bar, e.g. "3.0 s, not reached (target 4 s)"; "n/a" for a profile without steps. */
export function drainsOf(ds: readonly { reached?: boolean; drainedAfterS: number | null }[], limitS: number): string {
  return ds.length === 0 ? 'n/a' : `${ds.map(drainCell).join(', ')} (target ${limitS} s)`
}

/**
 * Enough spares that no scale-up starts a process: the master never holds more than `max`
 * processes, workers (stopping ones too) and spares together. A process loading during a
 * scale-up takes CPU from the workers just when a backlog is waiting (0.5-4 s of it on 2
 * busy cores). A shrink loads spares again, after its workers have exited.
 */
export const defaultSpares = (max: number) => max - 1
const TEXT = 'an honest review of a product; no scam here, just a stupid joke'

/** `timeScale` above this would make a run of nearly an hour. */
export const MAX_TIME_SCALE = 100
/** After Ctrl-C, how long jobs in flight may still finish before the workers are stopped. */
const INTERRUPTED_DRAIN_MS = 10_000

/** Throws on an option that would make the run meaningless or endless, before anything starts. */
export function checkAutoscaleOptions(o: AutoscaleOptions): void {
  const need = (ok: boolean, what: string) => {
    if (!ok) throw new RangeError(`autoscale: ${what}`)
  }
  need(o.max >= 1, `max must be at least 1 (got ${o.max})`)
  need(o.timeScale > 0 && o.timeScale <= MAX_TIME_SCALE, `timeScale must be > 0 and <= ${MAX_TIME_SCALE} (got ${o.timeScale})`)
  need(o.tickMs >= 1 && Number.isFinite(o.tickMs), `tickMs must be >= 1 (got ${o.tickMs})`)
  need(Number.isInteger(o.spares ?? 0) && (o.spares ?? 0) >= 0, `spares must be an integer >= 0 (got ${o.spares})`)
  need(o.cost.ioMillis >= 0 && o.cost.cpuMicros >= 0, 'cost must not be negative')
  // The rest (integers, drain target, cool-down) is the policy's own check.
  new AutoscalePolicy({ ...DEFAULT_POLICY, min: 1, max: o.max, drainTargetMs: o.drainTargetMs, cooldownMs: o.cooldownMs })
}

export async function runAutoscale(o: AutoscaleOptions): Promise<AutoscaleResult> {
  checkAutoscaleOptions(o)
  const prof = makeProfile(o.profile, o.timeScale)
  // One worker runs one job at a time, so its capacity is set by the cost.
  const perJobMs = o.cost.ioMillis + o.cost.cpuMicros / 1000
  const capacity = 1000 / Math.max(1, perJobMs)
  // The master never keeps more than max - 1 spares beside its first worker: that is what runs.
  const spares = Math.min(o.spares ?? defaultSpares(o.max), defaultSpares(o.max))
  if (o.spares !== undefined && o.spares > spares) log.warn(`--spares ${o.spares}: at most --max minus 1 can ever be used; keeping ${spares}`)
  const driver = await loadDriver(o.middleware)
  const started = await startNode(o.middleware, { workers: 1, jobConcurrency: 1, spareWorkers: spares, maxWorkers: o.max, broker: o.broker })
  const node = started.node
  let sent = 0
  let ok = 0
  let failed = 0
  let size = 1
  let resizeSeq = 0
  let tickHist = createHistogram()
  const outstanding = new Set<Promise<void>>()
  const timeline: TimelineEntry[] = []
  let state: AutoscaleResult['state'] = 'completed'
  let reason: string | undefined
  let interruptedAtS: number | undefined
  let client: ReviewClient | undefined
  let scaler: Autoscaler | undefined
  let drains: ReturnType<typeof watchDrains> | undefined
  let drainTimes: DrainTime[] = []
  // From here on, whatever fails, the finally below stops the master with its workers and spares.
  try {
    if (!node.scaleTo || !node.backlog) throw new Error(`${o.middleware} master cannot resize its pool or report its backlog`)
    // Called as methods: a node may be a class instance (rabbitmq's is).
    const scaleTo = (n: number) => node.scaleTo!(n)
    const backlog = () => node.backlog!()
    client = await driver.connect({ server: node.address, timeoutMs: 120_000 })
    // Processes loading take CPU from the first worker: the profile starts once they are done.
    if (spares > 0 && node.sparesLoaded) {
      const w0 = performance.now()
      log.info(`waiting for ${spares} spare worker process${spares > 1 ? 'es' : ''} to load`)
      await node.sparesLoaded()
      log.info(`spares loaded in ${((performance.now() - w0) / 1000).toFixed(1)} s; the profile starts`)
    }
    const t0 = performance.now()
    const onTick = (rec: TickRecord) => {
      const h = tickHist
      tickHist = createHistogram()
      const entry = { ...rec, p99Ms: h.totalCount ? h.getValueAtPercentile(99) / 1000 : 0, offered: prof.load(performance.now() - t0) * capacity }
      h.destroy()
      timeline.push(entry)
      o.onTick?.(entry)
    }
    scaler = new Autoscaler(
      { arrivals: () => sent, completions: () => ok, backlog },
      {
        size: () => size,
        scaleTo: async (n) => {
          log.info(`scaling ${size} -> ${n}`)
          const mine = ++resizeSeq
          await scaleTo(n)
          // Resizes may overlap (a bigger one overtakes); the last one asked for sets the size.
          // A grow overtaken by a bigger one still has its workers serving: count them now.
          if (mine === resizeSeq || n > size) size = n
        },
      },
      {
        tickMs: o.tickMs,
        policy: { max: o.max, min: 1, drainTargetMs: o.drainTargetMs, cooldownMs: o.cooldownMs, initialCapacity: capacity },
        onTick,
        onError: (e) => log.warn('autoscaler tick failed', e),
      },
    )
    scaler.start()
    drains = watchDrains({
      steps: prof.steps,
      now: () => performance.now() - t0,
      backlog,
      workers: () => size,
      interruptedAt: () => (interruptedAtS === undefined ? undefined : interruptedAtS * 1000),
    })

    // Open loop: job i is due when the integral of the rate reaches i; latency counts from then.
    let due = 0
    while (!o.signal?.aborted) {
      const now = performance.now() - t0
      if (now >= prof.durationMs) break
      while (due <= now) {
        const intended = t0 + due
        const id = randomUUID()
        sent++
        const p = client
          .moderate(TEXT, o.cost, { requestId: id })
          .then(
            () => {
              ok++
              recordMs(tickHist, performance.now() - intended)
            },
            (err) => {
              failed++
              log.debug('job failed', err)
            },
          )
          .finally(() => outstanding.delete(p))
        outstanding.add(p)
        due += 1000 / (prof.load(due) * capacity)
      }
      await new Promise((r) => setTimeout(r, 2))
    }
    if (o.signal?.aborted) {
      state = 'partial'
      reason = 'interrupted'
      interruptedAtS = (performance.now() - t0) / 1000
    }
    // Let the pool drain what is left (the autoscaler keeps running), bounded; briefly after Ctrl-C.
    const end = Date.now() + (o.signal?.aborted ? INTERRUPTED_DRAIN_MS : 60_000)
    while (outstanding.size > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100))
    drainTimes = await drains.stop()
  } finally {
    await drains?.stop()
    // Waits for a tick still reading the backlog from the master, so it is not closed under it.
    await scaler?.stop()
    await client?.close().catch((err) => log.warn('closing the client failed', err))
    await started.close()
  }
  const lost = sent - ok - failed
  const { signal: _s, onTick: _t, broker: _b, ...options } = o
  return {
    schema: AUTOSCALE_SCHEMA,
    state,
    reason,
    interruptedAtS,
    middleware: o.middleware,
    profile: o.profile,
    createdAt: new Date().toISOString(),
    options: { ...options, spares },
    workerCapacity: capacity,
    sent,
    ok,
    failed,
    lost,
    // The first worker serves from the start, ticks or not (Ctrl-C while spares load).
    maxWorkers: Math.max(1, ...timeline.map((t) => t.workers)),
    timeline,
    drainTimes,
    drainPollMs: DRAIN_POLL_MS,
  }
}
