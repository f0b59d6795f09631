// Models laid over measured speedup: Amdahl's law fitted to the points, and the M/M/c
// queue predicted from the measured single-worker service rate.

export interface SpeedupPoint {
  nodes: number
  /** measured throughput X(n), ops/s */
  throughput: number
}

export interface SpeedupRow extends SpeedupPoint {
  speedup: number
  efficiency: number
}

/** S(n) = X(n) / X(1), efficiency = S(n) / n. Needs the n = 1 point. */
export function speedupTable(points: SpeedupPoint[]): SpeedupRow[] {
  const base = points.find((p) => p.nodes === 1)
  if (!base || base.throughput <= 0) throw new RangeError('speedup needs a positive throughput at 1 node')
  return [...points]
    .sort((a, b) => a.nodes - b.nodes)
    .map((p) => {
      const speedup = p.throughput / base.throughput
      return { ...p, speedup, efficiency: speedup / p.nodes }
    })
}

/** Amdahl's law: S(n) = 1 / (f + (1 - f) / n) for serial fraction f. */
export function amdahl(f: number, n: number): number {
  return 1 / (f + (1 - f) / n)
}

/**
 * Serial fraction that best fits the measured speedups. 1/S = 1/n + f (1 - 1/n) is linear
 * in f, so least squares on y = 1/S - 1/n against x = 1 - 1/n gives f = Σxy / Σx².
 * Clamped to [0, 1]: superlinear points mean f = 0, flat or falling ones f = 1.
 */
export function fitAmdahl(rows: { nodes: number; speedup: number }[]): number {
  let sxy = 0
  let sxx = 0
  for (const r of rows) {
    if (r.nodes <= 1 || r.speedup <= 0) continue
    const x = 1 - 1 / r.nodes
    const y = 1 / r.speedup - 1 / r.nodes
    sxy += x * y
    sxx += x * x
  }
  if (sxx === 0) return 0
  return Math.min(1, Math.max(0, sxy / sxx))
}

/** Erlang C: probability that an arriving job waits in an M/M/c queue with offered load a = λ/μ. */
export function erlangC(c: number, a: number): number {
  if (c < 1 || !Number.isInteger(c)) throw new RangeError('c must be a positive integer')
  const rho = a / c
  if (rho >= 1) return 1
  // Erlang B by its stable recurrence, then C from B.
  let b = 1
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b)
  return b / (1 - rho + rho * b)
}

export interface MmcPrediction {
  servers: number
  /** ρ = λ / (c μ); the queue is stable only while ρ < 1 */
  utilisation: number
  stable: boolean
  /** completions/s: λ when stable, else the capacity c μ */
  throughput: number
  /** mean time in the system W = Wq + 1/μ, seconds (Infinity when unstable) */
  meanResponse: number
  /** probability an arrival waits */
  pWait: number
}

/** The M/M/c prediction for c servers of rate μ under arrival rate λ (both per second). */
export function mmc(lambda: number, mu: number, c: number): MmcPrediction {
  if (mu <= 0) throw new RangeError('service rate must be positive')
  const utilisation = lambda / (c * mu)
  if (utilisation >= 1) {
    return { servers: c, utilisation, stable: false, throughput: c * mu, meanResponse: Infinity, pWait: 1 }
  }
  const pWait = erlangC(c, lambda / mu)
  const wq = pWait / (c * mu - lambda)
  return { servers: c, utilisation, stable: true, throughput: lambda, meanResponse: wq + 1 / mu, pWait }
}

/**
 * The speedup M/M/c predicts for a saturating driver: capacity c μ over μ, capped by how
 * many of the c servers the machine can actually run at once for CPU-bound work.
 */
export function mmcSpeedup(c: number, opts: { cpuBound: boolean; cores: number }): number {
  return opts.cpuBound ? Math.min(c, opts.cores) : c
}
