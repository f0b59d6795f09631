// Starts and stops worker processes on this machine for a master. Each worker is the
// mwlab CLI (`serve <mw> --role worker`) in its own OS process; it is ready when it prints
// its address as the first line on stdout. Nothing is restarted silently: a worker that
// dies is reported through onExit and left for the master to decide.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { once } from 'node:events'
import type { MiddlewareName, WorkerInfo } from '../core/contract.ts'
import { createLogger } from '../core/log.ts'

export const MWLAB_BIN = fileURLToPath(new URL('../bin/mwlab.mjs', import.meta.url))
const READY_TIMEOUT_MS = 60_000
const STOP_GRACE_MS = 15_000

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
}

let counter = 0

export class Supervisor {
  private readonly children = new Map<string, Child>()
  private readonly log = createLogger('supervisor')

  constructor(private readonly opts: SupervisorOptions) {}

  /** Starts n more workers in parallel and waits until each is ready. */
  async start(n: number): Promise<WorkerInfo[]> {
    return Promise.all(Array.from({ length: n }, () => this.startOne()))
  }

  /** Grows or shrinks to n workers; shrinking stops the newest ones gracefully. */
  async scaleTo(n: number): Promise<void> {
    const current = [...this.children.values()].filter((c) => !c.stopping)
    if (n > current.length) await this.start(n - current.length)
    else await Promise.all(current.slice(n).map((c) => this.stop(c.info.id)))
  }

  list(): WorkerInfo[] {
    return [...this.children.values()].filter((c) => !c.stopping).map((c) => ({ ...c.info, lastSeen: Date.now() }))
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
    await Promise.all([...this.children.keys()].map((id) => this.stop(id)))
  }

  private async startOne(): Promise<WorkerInfo> {
    const o = this.opts
    const id = `${o.middleware}-w${++counter}-${process.pid}`
    const args = [MWLAB_BIN, 'serve', o.middleware, '--role', 'worker', '--master', o.master, '--node-id', id]
    if (o.broker) args.push('--broker', o.broker)
    if (o.namespace) args.push('--namespace', o.namespace)
    if (o.heartbeatMs) args.push('--heartbeat-ms', String(o.heartbeatMs))
    if (o.jobConcurrency) args.push('--job-concurrency', String(o.jobConcurrency))
    if (o.bannedWords) args.push('--banned-words', o.bannedWords.join(','))
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...o.env } })
    const info: WorkerInfo = { id, pid: proc.pid, lastSeen: Date.now() }
    // 'error' (e.g. the spawn itself failed) also ends the child; it must not leave a rejection behind.
    const child: Child = { info, proc, stopping: false, exited: once(proc, 'exit').then(() => undefined, () => undefined) }
    proc.on('error', (err) => this.log.error(`worker ${id} process error`, err))
    this.children.set(id, child)
    proc.on('exit', (code, signal) => {
      this.children.delete(id)
      if (!child.stopping) {
        this.log.warn(`worker ${id} exited unexpectedly`, { code, signal })
        o.onExit?.(info, code, signal)
      }
    })
    try {
      info.address = await readyLine(proc, id)
    } catch (err) {
      child.stopping = true
      proc.kill('SIGKILL')
      throw err
    }
    return { ...info }
  }
}

function readyLine(proc: ChildProcess, id: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout! })
    const timer = setTimeout(() => reject(new WorkerStartError(`worker ${id} not ready after ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS)
    const onExit = (code: number | null) => {
      clearTimeout(timer)
      reject(new WorkerStartError(`worker ${id} exited with code ${code} before it was ready`))
    }
    proc.once('exit', onExit)
    lines.once('line', (line) => {
      clearTimeout(timer)
      proc.off('exit', onExit)
      // Keep draining stdout so a chatty worker never blocks on a full pipe.
      proc.stdout!.resume()
      resolve(line.trim())
    })
  })
}
