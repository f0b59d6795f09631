// The load generators of one run: in-process (workers = 0) or one per worker thread, so
// the generator is never the bottleneck. Every phase runs on all of them at once, the
// load split between them; their shards come back separately and are merged by the caller
// (histograms added, never averaged).
import { randomBytes } from 'node:crypto'
import { Worker } from 'node:worker_threads'
import { MwlabError, type ErrorCode } from '../core/errors.ts'
import { LoadSession, type SessionOptions } from './session.ts'
import type { LoadModel, PhasePlan, PhaseTimings, ProgressSnapshot, Shard, TargetSpec } from './types.ts'

export type ToWorker = { t: 'phase'; plan: PhasePlan } | { t: 'stop' } | { t: 'close' }
export type FromWorker =
  | { t: 'ready' }
  | { t: 'progress'; snapshot: ProgressSnapshot }
  | { t: 'shard'; shard: Shard }
  | { t: 'error'; message: string; code?: ErrorCode }
  | { t: 'closed' }

interface Generator {
  runPhase(plan: PhasePlan, onProgress: (s: ProgressSnapshot) => void): Promise<Shard>
  stop(): void
  close(): Promise<void>
}

export interface PoolOptions extends PhaseTimings {
  /** Worker threads driving the load; 0 runs the generator in this thread. */
  workers: number
  seed: number
  maxInFlight?: number
}

/** A load generator thread failed (could not connect, crashed). */
export class LoadGeneratorError extends MwlabError {
  override name = 'LoadGeneratorError'
}

export class LoadPool {
  private constructor(private readonly generators: Generator[]) {}

  static async open(spec: TargetSpec, o: PoolOptions): Promise<LoadPool> {
    const run = randomBytes(3).toString('hex')
    const n = Math.max(1, o.workers)
    const opts = (i: number): SessionOptions => ({
      timeoutMs: o.timeoutMs,
      graceMs: o.graceMs,
      maxInFlight: o.maxInFlight,
      idPrefix: `${run}g${i}`,
      seed: o.seed + i,
    })
    const started = await Promise.allSettled(
      Array.from({ length: n }, (_, i) => (o.workers === 0 ? LoadSession.open(spec, opts(i)) : ThreadGenerator.start(spec, opts(i)))),
    )
    const ok = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
    const failed = started.find((r) => r.status === 'rejected')
    if (failed) {
      await Promise.allSettled(ok.map((g) => g.close()))
      throw failed.reason
    }
    return new LoadPool(ok)
  }

  get size(): number {
    return this.generators.length
  }

  /** Runs one phase on every generator that gets a share of the load; returns their shards. */
  async runPhase(
    name: PhasePlan['name'],
    index: number,
    load: LoadModel,
    durationMs: number,
    onProgress?: (s: ProgressSnapshot) => void,
  ): Promise<Shard[]> {
    const shares = splitLoad(load, this.generators.length)
    const latest = new Map<number, ProgressSnapshot>()
    const report = (i: number, s: ProgressSnapshot) => {
      latest.set(i, s)
      onProgress?.(sumSnapshots([...latest.values()]))
    }
    return Promise.all(
      shares.flatMap((share, i) =>
        share ? [this.generators[i].runPhase({ name, index, durationMs, ...share }, (s) => report(i, s))] : [],
      ),
    )
  }

  stop(): void {
    for (const g of this.generators) g.stop()
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.generators.map((g) => g.close()))
  }
}

/** Each generator's share: concurrency split as evenly as integers allow, rate split evenly with interleaved schedules. */
export function splitLoad(load: LoadModel, n: number): ({ load: LoadModel; offsetMs: number } | undefined)[] {
  return Array.from({ length: n }, (_, i) => {
    if (load.mode === 'closed') {
      const c = Math.floor(load.concurrency / n) + (i < load.concurrency % n ? 1 : 0)
      return c > 0 ? { load: { mode: 'closed', concurrency: c }, offsetMs: 0 } : undefined
    }
    return { load: { mode: 'open', rate: load.rate / n }, offsetMs: (i * 1000) / load.rate }
  })
}

function sumSnapshots(all: ProgressSnapshot[]): ProgressSnapshot {
  const s = { ...all[0] }
  for (const x of all.slice(1)) {
    s.sent += x.sent
    s.ok += x.ok
    s.errors += x.errors
    s.inflight += x.inflight
    s.elapsedMs = Math.max(s.elapsedMs, x.elapsedMs)
  }
  return s
}

class ThreadGenerator implements Generator {
  private pending?: { resolve: (s: Shard) => void; reject: (e: Error) => void; onProgress: (s: ProgressSnapshot) => void }
  private readonly exited: Promise<void>
  private onClosed?: () => void

  private constructor(private readonly worker: Worker) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()))
    worker.on('message', (m: FromWorker) => {
      if (m.t === 'progress') this.pending?.onProgress(m.snapshot)
      else if (m.t === 'shard') this.settle(undefined, m.shard)
      else if (m.t === 'error') this.settle(new LoadGeneratorError(m.code ?? 'INTERNAL', m.message))
      else if (m.t === 'closed') this.onClosed?.()
    })
    worker.on('error', (err) => this.settle(new LoadGeneratorError('INTERNAL', `load generator thread crashed: ${err.message}`, { cause: err })))
    worker.on('exit', (code) => this.settle(new LoadGeneratorError('INTERNAL', `load generator thread exited (code ${code})`)))
  }

  static start(spec: TargetSpec, options: SessionOptions): Promise<ThreadGenerator> {
    const worker = new Worker(new URL('./load-worker.mjs', import.meta.url), { workerData: { spec, options } })
    return new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.t === 'ready') {
          cleanup()
          resolve(new ThreadGenerator(worker))
        } else if (m.t === 'error') {
          cleanup()
          reject(new LoadGeneratorError(m.code ?? 'INTERNAL', m.message))
        }
      }
      const onError = (err: Error) => {
        cleanup()
        reject(new LoadGeneratorError('INTERNAL', `load generator thread failed to start: ${err.message}`, { cause: err }))
      }
      const onExit = (code: number) => {
        cleanup()
        reject(new LoadGeneratorError('INTERNAL', `load generator thread exited while starting (code ${code})`))
      }
      const cleanup = () => {
        worker.off('message', onMessage)
        worker.off('error', onError)
        worker.off('exit', onExit)
      }
      worker.on('message', onMessage)
      worker.once('error', onError)
      worker.once('exit', onExit)
    })
  }

  runPhase(plan: PhasePlan, onProgress: (s: ProgressSnapshot) => void): Promise<Shard> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject, onProgress }
      this.worker.postMessage({ t: 'phase', plan } satisfies ToWorker)
    })
  }

  stop(): void {
    this.worker.postMessage({ t: 'stop' } satisfies ToWorker)
  }

  /** Closes the client in the thread, then ends the thread (a library's lingering timers must not keep it alive). */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      this.onClosed = resolve
      setTimeout(resolve, 5000).unref()
    })
    this.worker.postMessage({ t: 'close' } satisfies ToWorker)
    await Promise.race([closed, this.exited])
    await this.worker.terminate()
  }

  private settle(err: Error | undefined, shard?: Shard) {
    const p = this.pending
    this.pending = undefined
    if (!p) return
    if (err) p.reject(err)
    else p.resolve(shard as Shard)
  }
}
