// The typed result of a speedup study of one middleware and one kind of work.
import type { MiddlewareName } from '../core/contract.ts'
import type { Cost } from '../core/schemas.ts'
import type { Spread } from '../stress/result.ts'
import type { Accounting } from '../stress/types.ts'

export const SPEEDUP_SCHEMA = 'mwlab.speedup/1'

export type Work = 'io' | 'cpu'

export interface SpeedupMeasurement {
  nodes: number
  /** completed jobs/s over repetitions */
  throughput: Spread
  speedup: number
  efficiency: number
  /** ρ = X(n) / (n μ): how busy the n workers were, by the M/M/c reading */
  utilisation: number
  accounting: Accounting
  p99Ms: number
}

export interface SpeedupResult {
  schema: typeof SPEEDUP_SCHEMA
  state: 'completed' | 'partial' | 'failed'
  reason?: string
  middleware: MiddlewareName
  work: Work
  cost: Cost
  createdAt: string
  cores: number
  node: string
  /** moderate jobs one worker runs at once (each worker is this many M/M/c servers) */
  jobConcurrency: number
  concurrencyPerNode: number
  durationMs: number
  warmupMs: number
  repeat: number
  points: SpeedupMeasurement[]
  /** serial fraction of the Amdahl curve fitted to the points */
  amdahlSerialFraction: number
  /** μ, the single-worker service rate measured at n = 1, jobs/s */
  serviceRate: number
  /** what M/M/c with c = n servers of rate μ predicts at saturation */
  mmc: { nodes: number; capacity: number; speedup: number }[]
  /** set when n exceeds the cores for CPU-bound work: the machine caps the speedup, not the middleware */
  capNote?: string
}
