// A real autoscaler run: a master of a queue middleware starts with one worker, an open
// loop sends moderate jobs following a profile, and the autoscaler resizes the pool every
// tick. Every job is accounted for: ok, failed, or lost (never answered).
import { randomUUID } from 'node:crypto'
import type { MiddlewareName } from '../core/contract.ts'
import { loadDriver } from '../core/drivers.ts'
import { createLogger } from '../core/log.ts'
import type { Cost } from '../core/schemas.ts'
import { Autoscaler, type TickRecord } from '../cluster/autoscaler.ts'
import { createHistogram, recordMs } from '../stress/histogram.ts'
import { brokerFor, freshNamespace } from '../stress/topology.ts'
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
  /** worker processes the master keeps loaded and idle, so a scale-up is not a process start (default 2) */
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
  drainTimes: { stepAt: number; drainedAfterS: number | null }[]
}

export const DEFAULT_SPARES = 2
const TEXT = 'an honest review of a product; no scam here, just a stupid joke'

export async function runAutoscale(o: AutoscaleOptions): Promise<AutoscaleResult> {
  const prof = makeProfile(o.profile, o.timeScale)
  // One worker runs one job at a time, so its capacity is set by the cost.
  const perJobMs = o.cost.ioMillis + o.cost.cpuMicros / 1000
  const capacity = 1000 / Math.max(1, perJobMs)
  const driver = await loadDriver(o.middleware)
  const node = await driver.serve('master', { broker: await brokerFor(o.middleware, o.broker), namespace: freshNamespace(), workers: 1, jobConcurrency: 1, spareWorkers: o.spares ?? DEFAULT_SPARES })
  if (!node.scaleTo || !node.backlog) {
    await node.close()
    throw new Error(`${o.middleware} master cannot resize its pool or report its backlog`)
  }
  const client = await driver.connect({ server: node.address, timeoutMs: 120_000 })
  let sent = 0
  let ok = 0
  let failed = 0
  let size = 1
  let resizeSeq = 0
  let tickHist = createHistogram()
  const outstanding = new Set<Promise<void>>()

  const scaler = new Autoscaler(
    { arrivals: () => sent, completions: () => ok, backlog: () => node.backlog!() },
    {
      size: () => size,
      scaleTo: async (n) => {
        log.info(`scaling ${size} -> ${n}`)
        const mine = ++resizeSeq
        await node.scaleTo!(n)
        // Resizes may overlap (a bigger one overtakes); the last one asked for sets the size.
        if (mine === resizeSeq) size = n
      },
    },
    { tickMs: o.tickMs, policy: { max: o.max, min: 1, drainTargetMs: o.drainTargetMs, cooldownMs: o.cooldownMs, initialCapacity: capacity }, onError: (e) => log.warn('autoscaler tick failed', e) },
  )
  const timeline: TimelineEntry[] = []
  const t0 = performance.now()
  let ticking = false
  const ticker = setInterval(async () => {
    // A slow backlog query (Kafka lag) must not let ticks overlap.
    if (ticking) return
    ticking = true
    try {
      const rec = await scaler.tick()
      const h = tickHist
      tickHist = createHistogram()
      const entry = { ...rec, p99Ms: h.totalCount ? h.getValueAtPercentile(99) / 1000 : 0, offered: prof.load(performance.now() - t0) * capacity }
      h.destroy()
      timeline.push(entry)
      o.onTick?.(entry)
    } catch (err) {
      log.warn('tick failed', err)
    } finally {
      ticking = false
    }
  }, o.tickMs)

  // Open loop: job i is due when the integral of the rate reaches i; latency counts from then.
  let state: AutoscaleResult['state'] = 'completed'
  let reason: string | undefined
  try {
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
    }
    // Let the pool drain what is left (the autoscaler keeps running), bounded.
    const end = Date.now() + 60_000
    while (outstanding.size > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100))
  } finally {
    clearInterval(ticker)
    await scaler.stop()
    await client.close()
    await node.close()
  }
  const lost = sent - ok - failed
  const drainTimes = prof.steps.map((stepAt) => {
    // Drained: no more waiting than one job per worker (the one it is about to take); Kafka's
    // lag never reads 0 under steady arrivals, as it counts jobs fetched but not committed.
    const after = timeline.find((t) => t.t * 1000 >= stepAt + o.tickMs && t.backlog <= Math.max(1, t.workers))
    return { stepAt: stepAt / 1000, drainedAfterS: after ? after.t - stepAt / 1000 : null }
  })
  const { signal: _s, onTick: _t, broker: _b, ...options } = o
  return {
    schema: AUTOSCALE_SCHEMA,
    state,
    reason,
    middleware: o.middleware,
    profile: o.profile,
    createdAt: new Date().toISOString(),
    options,
    workerCapacity: capacity,
    sent,
    ok,
    failed,
    lost,
    maxWorkers: Math.max(0, ...timeline.map((t) => t.workers)),
    timeline,
    drainTimes,
  }
}
