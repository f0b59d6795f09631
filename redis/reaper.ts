// Run by the store owner (single node or master): every interval, jobs held by workers
// whose heartbeat expired go back to the front of the queue. A job that comes back too
// often is buried instead, so a message that crashes every worker is not retried forever.
import type { Redis } from 'ioredis'
import type { Logger } from '../core/log.ts'
import type { Keys } from './keys.ts'
import { REAP, runScript } from './scripts.ts'
import { DEAD_LIST_CAP } from './wire.ts'

export const MAX_REDELIVERIES = 5
/** How long the redeliveries hash (and so the answer-once guard of a returned job) lives after the last return. */
export const REDELIVERIES_TTL_MS = 600_000

export interface ReapResult {
  workerId: string
  returned: number
  buried: number
}

export async function reapOnce(cmd: Redis, keys: Keys): Promise<ReapResult[]> {
  const flat = (await runScript(cmd, REAP, [keys.workers, keys.jobs, keys.dead, keys.redeliveries], [keys.prefix, MAX_REDELIVERIES, Date.now(), DEAD_LIST_CAP, REDELIVERIES_TTL_MS])) as (string | number)[]
  const out: ReapResult[] = []
  for (let i = 0; i < flat.length; i += 3) out.push({ workerId: String(flat[i]), returned: Number(flat[i + 1]), buried: Number(flat[i + 2]) })
  return out
}

export interface Reaper {
  readonly totals: { returned: number; buried: number; deadWorkers: number }
  stop(): void
}

export function startReaper(cmd: Redis, keys: Keys, log: Logger, intervalMs = 1000): Reaper {
  const totals = { returned: 0, buried: 0, deadWorkers: 0 }
  let busy = false
  const timer = setInterval(async () => {
    if (busy) return
    busy = true
    try {
      for (const r of await reapOnce(cmd, keys)) {
        totals.deadWorkers++
        totals.returned += r.returned
        totals.buried += r.buried
        log.warn(`worker ${r.workerId} is dead: returned ${r.returned} jobs to the queue, buried ${r.buried}`)
      }
    } catch (err) {
      log.error('reaping failed', err)
    } finally {
      busy = false
    }
  }, intervalMs)
  timer.unref()
  return { totals, stop: () => clearInterval(timer) }
}
