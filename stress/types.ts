// The vocabulary of the stress harness: what a run asks for (load model, workload) and
// what one load generator reports back. Everything here is plain data, so it crosses
// worker-thread boundaries (structured clone) and lands in the result JSON as is.
import type { MiddlewareName } from '../core/contract.ts'
import type { Cost } from '../core/schemas.ts'

export const STRESS_OPS = ['moderate', 'submitReview', 'listReviews', 'trending'] as const
export type StressOp = (typeof STRESS_OPS)[number]

export type PayloadKind = 'simple' | 'complex'
export type LoadMode = 'closed' | 'open'

/** Closed loop: `concurrency` calls always in flight. Open loop: `rate` arrivals per second, whatever the server does. */
export type LoadModel = { mode: 'closed'; concurrency: number } | { mode: 'open'; rate: number }

/** What each call does; built into a caller by stress/operations.ts. */
export interface Workload {
  op: StressOp
  payload: PayloadKind
  cost: Cost
  seed: number
  /** Let the client batch concurrent calls where its protocol can (ClientOptions.batch). */
  batch?: boolean
}

/** Where a load generator sends its calls. Plain data: a worker thread resolves it with stress/targets.ts. */
export type TargetSpec =
  | { kind: 'driver'; middleware: MiddlewareName; server: string; workload: Workload }
  /** A raw client-library baseline (stress/calibrate); `address` is its echo server. */
  | { kind: 'raw'; baseline: RawBaseline; address: string; workload: Workload }
  /** An in-process test double of the ReviewClient (stress/fake-client.ts), for the engine's own tests. */
  | { kind: 'fake'; fake: FakeOptions; workload: Workload }

export type RawBaseline = 'http' | 'grpc' | 'redis' | 'rabbitmq' | 'kafka'

export interface FakeOptions {
  /** Service time of every call, ms (0: answer on the next tick). */
  serviceMs?: number
  /** The whole fake server stops answering for `pauseMs` once `pauseAfterMs` have passed since connect. */
  pauseAfterMs?: number
  pauseMs?: number
  /** Fraction of calls never answered (0..1), chosen by a seeded draw. */
  dropRate?: number
  /** Fraction of calls failed with UNAVAILABLE. */
  failRate?: number
  /** Fraction of calls answered with another call's id (a misrouted reply). */
  misrouteRate?: number
  /** Service time spread evenly over [serviceMs, serviceMs + jitterMs]. */
  jitterMs?: number
  /** Calls also queue for one server doing this many per second (unset: no limit), so a rate above it is unsustainable. */
  capacityOps?: number
}

/** Timings shared by every phase of one load run. */
export interface PhaseTimings {
  /** A call answered later than this after its (intended) start counts as timed out. */
  timeoutMs: number
  /** After the window closes, how long to wait for outstanding calls before counting them lost. */
  graceMs: number
}

/** One phase (warm-up or a measured repetition) as one load generator runs it. */
export interface PhasePlan {
  name: 'warmup' | 'measure'
  index: number
  durationMs: number
  load: LoadModel
  /** Open loop: shift of this generator's schedule, so several generators interleave their arrivals. */
  offsetMs: number
}

/** How every request ended. `sent = ok + failedTotal + timedOut + lost`; duplicates are counted apart. */
export interface Accounting {
  sent: number
  ok: number
  /** Failures by MwlabError code (plus MISMATCH: a reply that answered another request). */
  failed: Record<string, number>
  failedTotal: number
  timedOut: number
  lost: number
  /** Replies naming a request that had already been answered. */
  duplicates: number
  /** Open loop only: arrivals not sent because the in-flight cap was reached (the generator's memory guard). */
  skipped: number
}

/** What one load generator reports for one phase. */
export interface Shard {
  accounting: Accounting
  /** ok replies received before the window closed: the numerator of throughput. */
  okInWindow: number
  /** Length of the window actually run, ms (shorter when stopped early). */
  windowMs: number
  /** Latency of ok calls, µs, HDR histogram as compressed base64 (merged, never averaged). */
  latency: string
  /** Open loop: how late calls left relative to their intended time, µs (the generator's own lag). */
  sendLag?: string
  stopped: boolean
}

/** Live counters for the progress bar. */
export interface ProgressSnapshot {
  phase: PhasePlan['name']
  index: number
  elapsedMs: number
  sent: number
  ok: number
  errors: number
  inflight: number
}
