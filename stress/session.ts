// One load generator: a connected client that runs the phases it is told to (warm-up,
// then measured repetitions) and reports each as a Shard. The same class runs in-process
// or inside a worker thread (load-worker.ts); the pool (load-pool.ts) merges the shards.
import { createLogger } from '../core/log.ts'
import { Ledger } from './accounting.ts'
import { drain, runClosedLoop } from './closed-loop.ts'
import { createHistogram, encode } from './histogram.ts'
import { runOpenLoop } from './open-loop.ts'
import { openTarget, type OpenedTarget } from './targets.ts'
import type { PhasePlan, PhaseTimings, ProgressSnapshot, Shard, TargetSpec } from './types.ts'

const log = createLogger('stress')

/** Handed to clients as their own deadline; see makeCaller: the ledger always decides first. */
const CLIENT_BACKSTOP_MS = 3_600_000
const PROGRESS_EVERY_MS = 250
/** When a run is stopped (Ctrl-C), outstanding calls get at most this long before counting as lost. */
const STOPPED_GRACE_MS = 2000

export interface SessionOptions extends PhaseTimings {
  /** Unique per generator and run: prefixes every request id. */
  idPrefix: string
  /** Seeds this generator's payload sequence. */
  seed: number
  /** Open loop memory guard. Default 100,000 outstanding calls. */
  maxInFlight?: number
}

export class LoadSession {
  private stopper = new AbortController()
  private phaseNo = 0

  private constructor(
    private readonly target: OpenedTarget,
    private readonly o: SessionOptions,
  ) {}

  static async open(spec: TargetSpec, o: SessionOptions): Promise<LoadSession> {
    const target = await openTarget(spec, o.seed, CLIENT_BACKSTOP_MS)
    return new LoadSession(target, o)
  }

  /** Ends the current phase's window now (and every later phase at once): Ctrl-C. */
  stop(): void {
    this.stopper.abort()
  }

  get stopped(): boolean {
    return this.stopper.signal.aborted
  }

  async runPhase(plan: PhasePlan, onProgress?: (s: ProgressSnapshot) => void): Promise<Shard> {
    // Ids never repeat across phases, so a late reply from an earlier phase cannot count twice.
    const ledger = new Ledger(`${this.o.idPrefix}p${this.phaseNo++}-`, this.target.caller, this.o.timeoutMs)
    const sendLag = createHistogram()
    const started = performance.now()
    const progress = onProgress
      ? setInterval(() => {
          const a = ledger.acc
          onProgress({
            phase: plan.name,
            index: plan.index,
            elapsedMs: performance.now() - started,
            sent: a.sent,
            ok: a.ok,
            errors: a.failedTotal + a.timedOut,
            inflight: ledger.outstanding,
          })
        }, PROGRESS_EVERY_MS)
      : undefined
    try {
      const stop = this.stopper.signal
      const windowMs =
        plan.load.mode === 'closed'
          ? await runClosedLoop(ledger, plan.load.concurrency, plan.durationMs, stop)
          : await runOpenLoop(
              ledger,
              { rate: plan.load.rate, durationMs: plan.durationMs, offsetMs: plan.offsetMs, maxInFlight: this.o.maxInFlight ?? 100_000, sendLag },
              stop,
            )
      await drain(ledger, stop.aborted ? Math.min(this.o.graceMs, STOPPED_GRACE_MS) : this.o.graceMs)
      return {
        accounting: ledger.acc,
        okInWindow: ledger.okInWindow,
        windowMs,
        latency: ledger.encodedLatency(),
        sendLag: plan.load.mode === 'open' ? encode(sendLag) : undefined,
        stopped: stop.aborted,
      }
    } finally {
      clearInterval(progress)
      ledger.close()
    }
  }

  async close(): Promise<void> {
    try {
      await this.target.close()
    } catch (err) {
      log.warn('closing the load client failed', err)
    }
  }
}
