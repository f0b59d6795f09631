// How many workers the pool needs, from what the master measures each tick:
//   N = ceil(λ / C + B / (C · Tr))
// λ arrival rate (jobs/s), B backlog (jobs waiting), C measured capacity of one worker
// (jobs/s), Tr the time within which the backlog should drain (s). The first term keeps
// up with arrivals, the second clears the backlog in Tr. (The student lab's
// ceil((B + λ·Tr)/C) only has the right units when Tr = 1 s, and it hard-coded C.)

export interface PolicyConfig {
  min: number
  max: number
  /** Tr, ms */
  drainTargetMs: number
  /** a scale-down waits until the smaller size has been enough for this long, ms */
  cooldownMs: number
  /** C to assume until one has been measured, jobs/s per worker */
  initialCapacity: number
  /** EWMA weight of a new C sample, and of a λ sample that is lower than the current estimate (a higher λ is taken at once) */
  smoothing: number
}

export const DEFAULT_POLICY: PolicyConfig = {
  min: 1,
  max: 8,
  drainTargetMs: 2000,
  cooldownMs: 5000,
  initialCapacity: 100,
  smoothing: 0.8,
}

/** What the master saw over one tick. */
export interface Observation {
  /** tick end, ms */
  at: number
  /** tick length, ms */
  dtMs: number
  /** jobs that arrived during the tick */
  arrivals: number
  /** jobs completed during the tick */
  completions: number
  /** jobs waiting at the end of the tick */
  backlog: number
  /** whether jobs were waiting at the start of the tick too (workers busy throughout) */
  saturated: boolean
  /** workers that were serving during the tick */
  workers: number
}

export interface Decision {
  lambda: number
  capacity: number
  /** N from the formula, clamped to [min, max] */
  wanted: number
  /** N from the formula before clamping: above max, the pool cannot keep up as asked */
  needed: number
  /** the size to run now, after the cool-down */
  target: number
  reason: 'up' | 'down' | 'hold' | 'cooldown'
}

export function workersNeeded(lambda: number, backlog: number, capacity: number, drainTargetMs: number): number {
  if (capacity <= 0) throw new RangeError('capacity must be positive')
  // The epsilon keeps float noise (4.0000000001) from asking for a whole extra worker.
  return Math.max(0, Math.ceil(lambda / capacity + backlog / (capacity * (drainTargetMs / 1000)) - 1e-9))
}

export class AutoscalePolicy {
  private lambda: number | undefined
  private capacity: number
  private measured = false
  /** since when a smaller size would have done, ms */
  private lowSince: number | undefined
  private lastUpAt = -Infinity

  constructor(readonly cfg: PolicyConfig = DEFAULT_POLICY) {
    // Checked here, not per tick: a NaN or zero would silently size the pool to nonsense.
    if (!Number.isInteger(cfg.min) || !Number.isInteger(cfg.max) || cfg.min < 0 || cfg.max < cfg.min) throw new RangeError(`need integers 0 <= min <= max (min ${cfg.min}, max ${cfg.max})`)
    if (!(cfg.drainTargetMs > 0) || !Number.isFinite(cfg.drainTargetMs)) throw new RangeError(`drainTargetMs must be > 0 (got ${cfg.drainTargetMs})`)
    if (!(cfg.cooldownMs >= 0)) throw new RangeError(`cooldownMs must be >= 0 (got ${cfg.cooldownMs})`)
    if (!(cfg.initialCapacity > 0) || !Number.isFinite(cfg.initialCapacity)) throw new RangeError(`initialCapacity must be > 0 (got ${cfg.initialCapacity})`)
    if (!(cfg.smoothing > 0 && cfg.smoothing <= 1)) throw new RangeError(`smoothing must be in (0, 1] (got ${cfg.smoothing})`)
    this.capacity = cfg.initialCapacity
  }

  /** Measured C: completions per worker-second over ticks when workers were never idle. */
  get capacityMeasured(): boolean {
    return this.measured
  }

  decide(o: Observation, current: number): Decision {
    const a = this.cfg.smoothing
    const dt = o.dtMs / 1000
    const rate = o.arrivals / dt
    // Smoothed on the way down only: a rise in arrivals is taken at once, so the pool grows
    // in the tick that sees a load step instead of trailing it (the cool-down guards shrinking).
    this.lambda = this.lambda === undefined || rate > this.lambda ? rate : a * rate + (1 - a) * this.lambda
    if (o.saturated && o.workers > 0 && o.completions > 0) {
      const c = o.completions / (o.workers * dt)
      this.capacity = this.measured ? a * c + (1 - a) * this.capacity : c
      this.measured = true
    }
    const raw = workersNeeded(this.lambda, o.backlog, this.capacity, this.cfg.drainTargetMs)
    const wanted = Math.min(this.cfg.max, Math.max(this.cfg.min, raw))
    const base = { lambda: this.lambda, capacity: this.capacity, wanted, needed: raw }
    if (wanted > current) {
      this.lowSince = undefined
      this.lastUpAt = o.at
      return { ...base, target: wanted, reason: 'up' }
    }
    if (wanted === current) {
      this.lowSince = undefined
      return { ...base, target: current, reason: 'hold' }
    }
    // Smaller would do: only after it has been so for a whole cool-down, and not right
    // after growing, so a noisy λ does not make the pool flap.
    this.lowSince ??= o.at
    const calm = o.at - this.lowSince >= this.cfg.cooldownMs && o.at - this.lastUpAt >= this.cfg.cooldownMs
    if (!calm) return { ...base, target: current, reason: 'cooldown' }
    this.lowSince = undefined
    return { ...base, target: wanted, reason: 'down' }
  }
}
