// What a calibration reports: the raw baselines measured in the same run, each with the
// middleware's result expressed as a fraction of it.
import type { LatencySummary } from '../histogram.ts'
import type { ErrorInfo, Spread } from '../result.ts'
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
  /** ok round trips per second of each repetition, in order; repetition i ran right after the middleware's repetition i. */
  repetitions?: number[]
  latency?: LatencySummary
  accounting?: Accounting
  /** Library versions the baseline ran with. */
  versions?: Record<string, string>
}

export interface CalibrationEntry {
  /** The raw client library + server baseline of this middleware. */
  baseline: BaselineResult
  /** This run's median throughput / the baseline's median throughput. */
  ratio?: number
  /**
   * Repetition i of this run / repetition i of the baseline, run back to back: how far the
   * ratio moves when the machine's speed changes between rounds (a shared 2-core machine's does).
   */
  pairedRatios?: number[]
  /** rpc only: mwlab's load generator (bare HTTP client) against autocannon on the same endpoint. */
  generator?: { mwlab: BaselineResult; autocannon: BaselineResult; ratio?: number; pairedRatios?: number[] }
}
