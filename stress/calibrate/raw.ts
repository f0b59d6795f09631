// What every raw baseline provides: an echo server the main thread runs, and a client a
// load generator (possibly in a worker thread) connects with. The client sends the same
// payload bytes a `moderate` call would carry and expects them back, so the engine,
// ledger and load models are exactly those of the middleware runs: the ratio compares
// only what the middleware adds on top of its client library and server.
import type { OpenedTarget } from '../targets.ts'
import type { Workload } from '../types.ts'

export type RawClientFactory = (address: string, workload: Workload, seed: number) => Promise<OpenedTarget>

export interface RawServer {
  /** What the raw client connects to. */
  address: string
  /** Versions of the server side, where cheap to get. */
  serverVersion?: string
  /**
   * Between the baseline's own windows: stop polling the broker, so an idle echo server takes
   * less CPU from the middleware's windows (Kafka's polls every 10 ms when idle).
   */
  pause?(): void
  resume?(): void
  close(): Promise<void>
}

