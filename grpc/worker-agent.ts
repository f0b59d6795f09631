// A worker's membership in its master's registry: register, heartbeat every heartbeatMs,
// register again if the master forgot it (evicted after a stall, or restarted), and
// deregister on a graceful stop so clients stop being sent here at once.
import type { Logger } from '../core/log.ts'
import { UnavailableError } from '../core/errors.ts'
import type { ClusterClient } from './generated/mwlab/Cluster.ts'
import { fromStatus } from './status.ts'

export interface WorkerIdentity {
  id: string
  address: string
  pid: number
}

const REGISTER_TIMEOUT_MS = 15_000

export class WorkerAgent {
  private timer: NodeJS.Timeout | undefined
  private failing = false

  constructor(
    private readonly cluster: ClusterClient,
    private readonly me: WorkerIdentity,
    private heartbeatMs: number,
    private readonly log: Logger,
  ) {}

  /** Registers (waiting for a master that is still starting), then beats until stop(). */
  async start(): Promise<void> {
    const end = Date.now() + REGISTER_TIMEOUT_MS
    for (;;) {
      try {
        const masterMs = await this.register(end)
        // The master evicts by its own period: never beat slower than it expects.
        if (masterMs > 0) this.heartbeatMs = Math.min(this.heartbeatMs, masterMs)
        break
      } catch (err) {
        if (Date.now() >= end) throw new UnavailableError(`could not register with the master within ${REGISTER_TIMEOUT_MS} ms`, { cause: err })
        await new Promise((r) => setTimeout(r, 200))
      }
    }
    this.timer = setInterval(() => void this.beat(), this.heartbeatMs)
  }

  /** Resolves to the master's heartbeat period. */
  private register(deadline: number): Promise<number> {
    return new Promise((resolve, reject) =>
      this.cluster.Register(this.me, { deadline }, (err, reply) => (err ? reject(fromStatus(err)) : resolve(reply?.heartbeatMs ?? 0))),
    )
  }

  private beat(): void {
    // The beat's own deadline is one period, so a hung master never piles up beats.
    this.cluster.Heartbeat({ id: this.me.id }, { deadline: Date.now() + this.heartbeatMs }, (err, reply) => {
      if (err) {
        if (!this.failing) this.log.warn(`heartbeat to master failed; retrying every ${this.heartbeatMs} ms`, fromStatus(err))
        this.failing = true
        return
      }
      if (this.failing) this.log.info('heartbeat to master recovered')
      this.failing = false
      if (!reply?.known) {
        this.log.warn('master does not know this worker any more; registering again')
        this.register(Date.now() + this.heartbeatMs).catch((e: unknown) => this.log.warn('re-register failed', e))
      }
    })
  }

  /** Stops beating and leaves the registry (best effort: the master evicts us anyway). */
  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await new Promise<void>((resolve) =>
      this.cluster.Deregister({ id: this.me.id }, { deadline: Date.now() + 1000 }, (err) => {
        if (err) this.log.warn('deregister failed', fromStatus(err))
        resolve()
      }),
    )
  }
}
