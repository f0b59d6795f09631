// Opportunistic JSON-RPC batching: calls to one endpoint made in the same event-loop turn
// leave as one batch (JSON-RPC 2.0 section 6) instead of one HTTP exchange each. Under a
// closed loop with many calls in flight this cuts HTTP parsing and syscalls per call
// several-fold; a lone call still leaves as a plain request, so an idle client adds no
// latency beyond the current turn. Each call keeps its own result or error, so failover
// and retries stay per call. Off unless the client asks for it (ClientOptions.batch, or
// MWLAB_RPC_BATCH=1), because a batch answers only when its slowest call is done.
import { isAborted, onAbort, type Abortable } from '../core/abortable.ts'
import { MAX_BATCH } from './wire.ts'

export const BATCHING_BY_DEFAULT = process.env.MWLAB_RPC_BATCH === '1'

export interface QueuedCall {
  method: string
  params: unknown
  abort?: Abortable
  resolve(v: unknown): void
  reject(e: unknown): void
}

export class Coalescer {
  private queue: QueuedCall[] = []
  private scheduled = false

  /** `send` gets groups of 1..MAX_BATCH calls and must settle every one of them. */
  constructor(private readonly send: (group: QueuedCall[]) => void) {}

  add(method: string, params: unknown, abort?: Abortable): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.queue.push({ method, params, abort, resolve, reject })
      if (!this.scheduled) {
        this.scheduled = true
        // setImmediate, not a microtask: it runs after every reply read in this turn has
        // released its caller, so their follow-up calls join the same batch.
        setImmediate(this.flush)
      }
    })
  }

  private readonly flush = (): void => {
    this.scheduled = false
    const queued = this.queue
    this.queue = []
    const live: QueuedCall[] = []
    for (const c of queued) {
      if (isAborted(c.abort)) onAbort(c.abort, c.reject) // cancelled before it left: never sent, rejected with the reason
      else live.push(c)
    }
    for (let i = 0; i < live.length; i += MAX_BATCH) this.send(live.slice(i, i + MAX_BATCH))
  }
}
