// A worker's tie to its master: register once (retrying while the master comes up), then
// heartbeat every heartbeatMs; a master that no longer knows us (we were evicted, or it
// restarted) gets a fresh registration. Control calls use their own small agent so a
// saturated forwarding pool can never delay a heartbeat.
import { createLogger } from '../core/log.ts'
import { UnavailableError } from '../core/errors.ts'
import type { RpcEndpoint } from './http-call.ts'

const log = createLogger('rpc-worker')
const REGISTER_TIMEOUT_MS = 15_000

export interface WorkerLink {
  /** Stops heartbeating and tells the master we are leaving (best effort). */
  close(): Promise<void>
}

export async function linkToMaster(master: RpcEndpoint, me: { id: string; address: string }, heartbeatMs: number): Promise<WorkerLink> {
  const registration = { id: me.id, address: me.address, pid: process.pid }
  const register = () => master.call('cluster.register', registration, AbortSignal.timeout(Math.max(1000, heartbeatMs)))

  const giveUpAt = Date.now() + REGISTER_TIMEOUT_MS
  for (let wait = 50; ; wait = Math.min(wait * 2, 1000)) {
    try {
      await register()
      break
    } catch (err) {
      if (Date.now() + wait > giveUpAt) throw new UnavailableError(`could not register with master ${master.address}`, { cause: err })
      log.warn(`registering with ${master.address} failed; retrying`, err)
      await new Promise((r) => setTimeout(r, wait))
    }
  }

  let beating: Promise<void> | undefined
  let leaving = false
  let failures = 0
  const beat = async () => {
    try {
      const { known } = (await master.call('cluster.heartbeat', { id: me.id }, AbortSignal.timeout(Math.max(1000, heartbeatMs)))) as { known: boolean }
      // While leaving, "unknown" is our own deregistration: registering again would leave
      // a ghost entry for the master to evict.
      if (!known && !leaving) {
        log.warn('master forgot this worker; registering again')
        await register()
      }
      if (failures > 0) log.info(`heartbeat to ${master.address} recovered after ${failures} failures`)
      failures = 0
    } catch (err) {
      if (failures++ === 0) log.warn(`heartbeat to ${master.address} failed`, err)
    }
  }
  const timer = setInterval(() => {
    // A slow master must not pile up heartbeats.
    beating ??= beat().finally(() => (beating = undefined))
  }, heartbeatMs)

  return {
    async close() {
      leaving = true
      clearInterval(timer)
      await beating // so no heartbeat overtakes the deregistration
      try {
        await master.call('cluster.deregister', { id: me.id }, AbortSignal.timeout(1000))
      } catch (err) {
        log.warn('deregistering from the master failed; it will evict this worker after 3 missed beats', err)
      }
    },
  }
}
