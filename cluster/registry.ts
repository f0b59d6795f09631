// The master's view of its workers (RPC middlewares): workers register and heartbeat;
// one that misses 3 beats in a row is evicted, so clients stop being sent to it.
import type { WorkerInfo } from '../core/contract.ts'

export const DEFAULT_HEARTBEAT_MS = 1000
export const MISSED_BEATS_TO_EVICT = 3

export interface RegistryOptions {
  heartbeatMs?: number
  now?: () => number
  onEvict?: (w: WorkerInfo) => void
}

export class Registry {
  private readonly workers = new Map<string, WorkerInfo>()
  private readonly timer: NodeJS.Timeout
  readonly heartbeatMs: number
  private readonly now: () => number

  constructor(private readonly opts: RegistryOptions = {}) {
    this.heartbeatMs = opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS
    this.now = opts.now ?? Date.now
    // Sweep a few times per beat so eviction happens close to the 3-beat mark.
    this.timer = setInterval(() => this.sweep(), Math.max(10, Math.floor(this.heartbeatMs / 4)))
    this.timer.unref()
  }

  register(w: { id: string; address?: string; pid?: number }): void {
    this.workers.set(w.id, { id: w.id, address: w.address, pid: w.pid, lastSeen: this.now() })
  }

  /** Returns false for an unknown (e.g. already evicted) worker, which should then register again. */
  heartbeat(id: string): boolean {
    const w = this.workers.get(id)
    if (!w) return false
    w.lastSeen = this.now()
    return true
  }

  deregister(id: string): void {
    this.workers.delete(id)
  }

  live(): WorkerInfo[] {
    return [...this.workers.values()].map((w) => ({ ...w }))
  }

  /** Evicts every worker silent for more than MISSED_BEATS_TO_EVICT beats. */
  sweep(): void {
    const cutoff = this.now() - MISSED_BEATS_TO_EVICT * this.heartbeatMs
    for (const w of this.workers.values()) {
      if (w.lastSeen < cutoff) {
        this.workers.delete(w.id)
        this.opts.onEvict?.(w)
      }
    }
  }

  close(): void {
    clearInterval(this.timer)
  }
}
