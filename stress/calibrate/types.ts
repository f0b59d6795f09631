// What a calibration reports: the raw baselines measured in the same run, each with the
// middleware's result expressed as a fraction of it.
import type { LatencySummary } from '../histogram.ts'
import type { CpuSummary, ErrorInfo, Spread } from '../result.ts'
import type { Accounting } from '../types.ts'

export type BaselineName = 'autocannon' | 'mwlab-http' | 'grpc-echo' | 'ioredis' | 'amqplib' | 'kafkajs'

export interface BaselineResult {
  name: BaselineName
  /** What exactly was measured, for a reader of the JSON. */
  what: string
  state: 'completed' | 'partial' | 'failed'
  error?: ErrorInfo
  /** ok round trips per second over the repetitions. */
  throughput?: Spread
  /** ok round trips per second of each repetition, in the order run (round i runs every contender's repetition i back to back). */
  repetitions?: number[]
  latency?: LatencySummary
  accounting?: Accounting
  /** CPU per call and machine load in its windows, as the middleware's run records them (Linux only). */
  cpu?: CpuSummary
  /** Library versions the baseline ran with. */
  versions?: Record<string, string>
}

export interface CalibrationEntry {
  /** The raw client library + server baseline of this middleware. */
  baseline: BaselineResult
  /** This run's median throughput / the baseline's median throughput. */
  ratio?: number
  /**
   * This run's repetition over the baseline's of the same round (run back to back), round by
   * round; a round the baseline completed nothing in is left out. How settled the ratio is.
   */
  pairedRatios?: number[]
  /** rpc only: mwlab's load generator (bare HTTP client) against autocannon on the same endpoint. */
  generator?: { mwlab: BaselineResult; autocannon: BaselineResult; ratio?: number; pairedRatios?: number[] }
}
