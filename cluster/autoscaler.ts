// The autoscaler loop: every tick, read what came in (λ), what waits (B, from the broker)
// and what was done, ask the policy for a size, and resize the master's worker pool.
// Resizing is asynchronous (a worker takes a moment to start, or to drain when stopped);
// while one is under way the loop keeps measuring but does not pile up another.
import { AutoscalePolicy, DEFAULT_POLICY, type Decision, type PolicyConfig } from './autoscale-policy.ts'
import { atMost } from '../core/time-limit.ts'

/** Cumulative counters and the broker's backlog, read once per tick. */
export interface Meter {
  /** jobs submitted so far */
  arrivals(): number
  /** jobs whose result has arrived so far */
  completions(): number
  /** jobs waiting in the work queue now */
  backlog(): Promise<number>
}

export interface Pool {
  size(): number
  scaleTo(n: number): Promise<void>
}

export interface TickRecord {
  /** seconds since start */
  t: number
  lambda: number
  backlog: number
  completions: number
  workers: number
  target: number
  capacity: number
  /** N the formula asked for before clamping to [min, max] (more than max: capped) */
  needed: number
  reason: Decision['reason'] | 'resizing'
}

export interface AutoscalerOptions {
  policy?: Partial<PolicyConfig>
  tickMs?: number
  now?: () => number
  onTick?: (r: TickRecord) => void
  onError?: (err: unknown) => void
}

/** How often the pool is sized unless told otherwise, ms. */
export const DEFAULT_TICK_MS = 1000

/** A backlog the workers clear in less than this is jobs in transit, not a queue. */
const SATURATED_BACKLOG_S = 0.1

export class Autoscaler {
  readonly policy: AutoscalePolicy
  readonly timeline: TickRecord[] = []
  private readonly now: () => number
  private readonly t0: number
  private last: { at: number; arrivals: number; completions: number; backlog: number }
  private resizing: Promise<void> | undefined
  /** when the last resize ended: a tick spanning a resize says nothing about one worker's capacity */
  private settledAt = -Infinity
  private readonly pending = new Set<Promise<void>>()
  /** the size the pool is heading for while a resize is under way */
  private heading = 0
  private timer: NodeJS.Timeout | undefined
  private ticking: Promise<unknown> | undefined
  private stopped = false

  constructor(
    private readonly meter: Meter,
    private readonly pool: Pool,
    private readonly opts: AutoscalerOptions = {},
  ) {
    this.policy = new AutoscalePolicy({ ...DEFAULT_POLICY, ...opts.policy })
    this.now = opts.now ?? Date.now
    this.t0 = this.now()
    this.last = { at: this.t0, arrivals: meter.arrivals(), completions: meter.completions(), backlog: 0 }
  }

  /** Ticks every tickMs until stop(). A tick still reading a slow backlog (Kafka lag) is not overlapped: that tick is skipped. */
  start(): void {
    this.timer = setInterval(() => {
      this.ticking ??= this.tick()
        .catch((err) => this.opts.onError?.(err))
        .finally(() => (this.ticking = undefined))
    }, this.opts.tickMs ?? DEFAULT_TICK_MS)
  }

  /** One measurement and decision; exposed so tests can drive it with a simulated clock. */
  async tick(): Promise<TickRecord> {
    const at = this.now()
    const backlog = await this.meter.backlog()
    const arrivals = this.meter.arrivals()
    const completions = this.meter.completions()
    const workers = this.pool.size()
    const d = this.policy.decide(
      {
        at,
        dtMs: Math.max(1, at - this.last.at),
        arrivals: arrivals - this.last.arrivals,
        completions: completions - this.last.completions,
        backlog,
        saturated: this.saturated(at, backlog, workers, completions - this.last.completions),
        workers,
      },
      workers,
    )
    const rec: TickRecord = {
      t: (at - this.t0) / 1000,
      lambda: d.lambda,
      backlog,
      completions: ((completions - this.last.completions) * 1000) / Math.max(1, at - this.last.at),
      workers,
      target: d.target,
      capacity: d.capacity,
      needed: d.needed,
      reason: this.resizing ? 'resizing' : d.reason,
    }
    this.last = { at, arrivals, completions, backlog }
    // A bigger target may overtake a resize under way (more workers start alongside the
    // ones already starting); a smaller one waits until every resize has ended, the
    // overtaken ones too (one still starting workers would undo the shrink).
    const grow = d.target > (this.resizing ? this.heading : workers)
    // A tick still reading the backlog when stop() is called must not start workers that
    // the master's shutdown would no longer see.
    if (!this.stopped && (grow || (this.pending.size === 0 && d.target < workers))) {
      this.heading = d.target
      const p: Promise<void> = this.pool
        .scaleTo(d.target)
        .catch((err) => this.opts.onError?.(err))
        .finally(() => {
          this.pending.delete(p)
          this.settledAt = this.now()
          if (this.resizing === p) this.resizing = undefined
        })
      this.pending.add(p)
      this.resizing = p
    }
    this.timeline.push(rec)
    this.opts.onTick?.(rec)
    return rec
  }

  /**
   * Whether the tick just ended measured what one worker can do: busy throughout (more jobs
   * waiting than workers at both ends, and at least SATURATED_BACKLOG_S of work waiting at the
   * end) with the same pool throughout. A few jobs in transit are always counted by some
   * brokers (Kafka's lag includes fetched, not yet committed jobs) and must not make workers
   * that keep up look saturated; a tick spanning a resize mixes pool sizes (and, on Kafka, a
   * rebalance that stops everyone).
   */
  private saturated(at: number, backlog: number, workers: number, completed: number): boolean {
    const rate = completed / (Math.max(1, at - this.last.at) / 1000)
    const busy = this.last.backlog > workers && backlog > workers && backlog >= SATURATED_BACKLOG_S * rate
    return busy && !this.resizing && this.settledAt <= this.last.at
  }

  /**
   * Stops ticking, waits (at most waitTickMs) for a tick still reading the backlog, so the
   * master is not closed under it, then for the resizes under way.
   */
  async stop(waitTickMs = 5000): Promise<void> {
    this.stopped = true
    clearInterval(this.timer)
    if (this.ticking) await atMost(this.ticking, waitTickMs)
    await Promise.all(this.pending)
  }
}
