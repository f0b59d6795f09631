// Starts and stops worker processes on this machine for a master. Each worker is the
// mwlab CLI (`serve <mw> --role worker`) in its own OS process; it is ready when it prints
// its address as the first line on stdout. Nothing is restarted silently: a worker that
// dies is reported through onExit and left for the master to decide.
//
// With `spares`, that many more processes are kept loaded but idle (`serve --spare`: the
// driver's code is imported, the line "loaded" is printed, and nothing is served until a
// "start" line arrives on stdin). A new worker is then one of them, ready in the time it
// takes to connect, and a fresh spare is loaded behind it.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { once } from 'node:events'
import type { MiddlewareName, NodeOptions, WorkerInfo } from '../core/contract.ts'
import { UnavailableError } from '../core/errors.ts'
import { createLogger } from '../core/log.ts'
import { atMost } from '../core/time-limit.ts'

export const MWLAB_BIN = fileURLToPath(new URL('../bin/mwlab.mjs', import.meta.url))
const READY_TIMEOUT_MS = 60_000
const STOP_GRACE_MS = 15_000
const SPARE_RETRY_MS = 1000
const MAX_SPARE_FAILURES = 3

export class WorkerStartError extends Error {
  override name = 'WorkerStartError'
}

export interface SupervisorOptions {
  middleware: MiddlewareName
  /** The master's address, passed to each worker as --master. */
  master: string
  broker?: string
  namespace?: string
  heartbeatMs?: number
  jobConcurrency?: number
  bannedWords?: string[]
  /** Processes kept loaded but idle, taken first when workers are started. Default 0. */
  spares?: number
  /**
   * No more spares than this minus the worker processes (stopping ones too): a spare beyond
   * it could never be used, and loading one costs CPU the workers need (a scale-up comes with
   * a backlog). Bounds the spares only; start() does not refuse workers beyond it.
   */
  maxWorkers?: number
  /** Extra environment for the workers. */
  env?: NodeJS.ProcessEnv
  /** Called when a worker exits on its own (not through stop). */
  onExit?: (w: WorkerInfo, code: number | null, signal: NodeJS.Signals | null) => void
}

interface Child {
  info: WorkerInfo
  proc: ChildProcess
  exited: Promise<void>
  stopping: boolean
  /** loaded, waiting for "start" on stdin; not a worker yet */
  spare: boolean
  /** what the process prints: "loaded" (a spare), then its address once it serves */
  lines: ChildLines
}

/** What a master hands down from its own NodeOptions to every worker it starts, the same for every driver. */
export function workerSettings(o: NodeOptions): Pick<SupervisorOptions, 'heartbeatMs' | 'jobConcurrency' | 'bannedWords' | 'spares' | 'maxWorkers'> {
  return { heartbeatMs: o.heartbeatMs, jobConcurrency: o.jobConcurrency, bannedWords: o.bannedWords, spares: o.spareWorkers, maxWorkers: o.maxWorkers }
}

let counter = 0

export class Supervisor {
  private readonly children = new Map<string, Child>()
  private readonly spares: Child[] = []
  private spareFailures = 0
  private closing = false
  private readonly log = createLogger('supervisor')

  constructor(private readonly opts: SupervisorOptions) {}

  /** Starts n more workers in parallel (spares first) and waits until each is ready. */
  async start(n: number): Promise<WorkerInfo[]> {
    // stopAll() would not see workers started now: they would outlive the master.
    if (this.closing) throw new UnavailableError('the supervisor is stopping its workers')
    try {
      return await Promise.all(Array.from({ length: n }, () => this.startOne()))
    } finally {
      this.refillSpares()
    }
  }

  /** Grows or shrinks to n workers; shrinking stops the newest ones gracefully (and may make room for spares). */
  async scaleTo(n: number): Promise<void> {
    const current = this.workers()
    if (n > current.length) await this.start(n - current.length)
    else {
      await Promise.all(current.slice(n).map((c) => this.stop(c.info.id)))
      this.refillSpares()
    }
  }

  private workers(): Child[] {
    return [...this.children.values()].filter((c) => !c.stopping && !c.spare)
  }

  list(): WorkerInfo[] {
    return this.workers().map((c) => ({ ...c.info, lastSeen: Date.now() }))
  }

  /** OS process ids of the spares loaded and waiting. */
  sparePids(): number[] {
    return this.spares.flatMap((c) => (c.info.pid === undefined ? [] : [c.info.pid]))
  }

  /** SIGTERM: the worker finishes or returns its in-flight work, then exits; SIGKILL after a grace period. */
  async stop(id: string, graceMs = STOP_GRACE_MS): Promise<void> {
    const c = this.children.get(id)
    if (!c) return
    c.stopping = true
    c.proc.kill('SIGTERM')
    const timer = setTimeout(() => {
      this.log.warn(`worker ${id} did not stop within ${graceMs} ms; killing it`)
      c.proc.kill('SIGKILL')
    }, graceMs)
    await c.exited
    clearTimeout(timer)
  }

  /** SIGKILL without warning: for fault tests. */
  async kill(id: string): Promise<void> {
    const c = this.children.get(id)
    if (!c) return
    c.stopping = true
    c.proc.kill('SIGKILL')
    await c.exited
  }

  async stopAll(): Promise<void> {
    this.closing = true
    this.spares.length = 0
    await Promise.all([...this.children.keys()].map((id) => this.stop(id)))
  }

  private refillSpares(): void {
    if (this.spareFailures > MAX_SPARE_FAILURES) return
    while (!this.closing && this.spares.length < this.sparesWanted()) this.spares.push(this.spawnChild(true))
  }

  private sparesWanted(): number {
    const { spares = 0, maxWorkers } = this.opts
    if (maxWorkers === undefined) return spares
    // Workers still stopping count: their processes hold CPU and memory until they exit (the
    // refill after a shrink runs once they have).
    const running = [...this.children.values()].filter((c) => !c.spare).length
    return Math.max(0, Math.min(spares, maxWorkers - running))
  }

  /**
   * Resolves once every spare kept now has loaded (or died, or given up after the start
   * timeout): a run that measures from now then shares no CPU with processes loading.
   */
  async sparesLoaded(): Promise<void> {
    const loads = this.spares.map((c) => within(c.lines.loaded, READY_TIMEOUT_MS, `spare ${c.info.id} not loaded after ${READY_TIMEOUT_MS} ms`))
    await Promise.all(loads.map((l) => l.catch(() => undefined)))
  }

  /** A spare if one is alive, else a fresh process; a spare that fails to come up is replaced by a fresh one. */
  private async startOne(): Promise<WorkerInfo> {
    const t0 = performance.now()
    const spare = this.takeSpare()
    if (spare) {
      try {
        const info = await this.ready(spare)
        this.spareFailures = 0
        this.log.info(`worker ${info.id} ready in ${Math.round(performance.now() - t0)} ms (a spare)`)
        return info
      } catch (err) {
        // stopAll() kills spares too: then no fresh worker, which it would no longer see.
        if (this.closing) throw err
        this.log.warn(`spare ${spare.info.id} did not come up; starting a fresh worker instead`, err)
      }
    }
    if (this.closing) throw new UnavailableError('the supervisor is stopping its workers')
    const info = await this.ready(this.spawnChild(false))
    this.log.info(`worker ${info.id} ready in ${Math.round(performance.now() - t0)} ms (a fresh process)`)
    return info
  }

  private takeSpare(): Child | undefined {
    for (let c = this.spares.shift(); c; c = this.spares.shift()) {
      if (c.proc.exitCode !== null || c.proc.signalCode !== null) continue // died; its exit is being handled
      c.spare = false
      c.proc.stdin!.write('start\n')
      return c
    }
    return undefined
  }

  private async ready(child: Child): Promise<WorkerInfo> {
    try {
      child.info.address = await within(child.lines.address, READY_TIMEOUT_MS, `worker ${child.info.id} not ready after ${READY_TIMEOUT_MS} ms`)
    } catch (err) {
      child.stopping = true
      child.proc.kill('SIGKILL')
      throw err
    }
    return { ...child.info }
  }

  private spawnChild(spare: boolean): Child {
    const o = this.opts
    const id = `${o.middleware}-w${++counter}-${process.pid}`
    const args = [MWLAB_BIN, 'serve', o.middleware, '--role', 'worker', '--master', o.master, '--node-id', id, '--supervised']
    if (spare) args.push('--spare')
    if (o.broker) args.push('--broker', o.broker)
    if (o.namespace) args.push('--namespace', o.namespace)
    if (o.heartbeatMs) args.push('--heartbeat-ms', String(o.heartbeatMs))
    if (o.jobConcurrency) args.push('--job-concurrency', String(o.jobConcurrency))
    if (o.bannedWords) args.push('--banned-words', o.bannedWords.join(','))
    // stdin stays open for the child's life: it ends when this process dies however it dies,
    // and the child then stops instead of running on as an orphan (cli/serve.ts --supervised).
    const proc = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...o.env } })
    const info: WorkerInfo = { id, pid: proc.pid, lastSeen: Date.now() }
    // 'error' (e.g. the spawn itself failed) also ends the child; it must not leave a rejection behind.
    const child: Child = { info, proc, stopping: false, spare, lines: watchLines(proc, id), exited: once(proc, 'exit').then(() => undefined, () => undefined) }
    proc.on('error', (err) => this.log.error(`worker ${id} process error`, err))
    // A spare that died before its start never served: only its absence matters.
    proc.stdin?.on('error', (err) => this.log.debug(`stdin of ${id} failed`, err))
    this.children.set(id, child)
    proc.on('exit', (code, signal) => {
      this.children.delete(id)
      if (child.spare) {
        const at = this.spares.indexOf(child)
        if (at >= 0) this.spares.splice(at, 1)
        if (child.stopping || this.closing) return
        // Replaced after a pause, unless spares keep dying (then something is broken: say so once).
        if (++this.spareFailures <= MAX_SPARE_FAILURES) {
          this.log.warn(`spare ${id} exited; loading another`, { code, signal })
          setTimeout(() => this.refillSpares(), SPARE_RETRY_MS).unref()
        } else if (this.spareFailures === MAX_SPARE_FAILURES + 1) {
          this.log.error(`spares keep exiting (last: ${id}); workers will start cold`, { code, signal })
        }
        return
      }
      if (!child.stopping) {
        this.log.warn(`worker ${id} exited unexpectedly`, { code, signal })
        o.onExit?.(info, code, signal)
      }
    })
    return child
  }
}

async function within<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  const r = await atMost(p, ms)
  if (!r) throw new WorkerStartError(message)
  return r.value
}

interface ChildLines {
  /** a spare has loaded its code (rejects as `address` does) */
  loaded: Promise<void>
  /** the address it serves at: the first line other than "loaded" */
  address: Promise<string>
}

/** Reads a child's stdout from its start, so no line is missed before anyone asks for it. */
function watchLines(proc: ChildProcess, id: string): ChildLines {
  let loaded!: () => void
  let serving!: (address: string) => void
  let fail!: (err: Error) => void
  const l = new Promise<void>((resolve) => (loaded = resolve))
  const address = new Promise<string>((resolve, reject) => {
    serving = resolve
    fail = reject
  })
  const lines = { loaded: Promise.race([l, address.then(() => undefined)]), address }
  // Whoever waits or not, a failure is reported through `address`, never left unhandled.
  lines.loaded.catch(() => undefined)
  address.catch(() => undefined)
  const onExit = (code: number | null) => {
    fail(new WorkerStartError(`worker ${id} exited with code ${code} before it was ready`))
  }
  proc.once('exit', onExit)
  // Read until the end, so a chatty worker never blocks on a full pipe.
  const reader = createInterface({ input: proc.stdout! })
  reader.on('line', (line) => {
    const text = line.trim()
    if (text === 'loaded') return loaded()
    proc.off('exit', onExit)
    serving(text)
  })
  return lines
}
