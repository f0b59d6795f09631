// A RabbitMQ node. single: owns the store, consumes requests and jobs, broadcasts.
// master: owns the store, consumes requests, broadcasts, and supervises worker processes
// that compete on the jobs queue. worker: consumes jobs only (moderate needs no state).
import type { Channel, ChannelModel } from 'amqplib'
import type { NodeOptions, NodeRole, RunningNode, WorkerInfo } from '../core/contract.ts'
import { startBroadcaster, type Broadcaster } from '../core/broadcaster.ts'
import { MwlabError, UnavailableError } from '../core/errors.ts'
import { createLogger, type Logger } from '../core/log.ts'
import { LocalBackend, ReviewService } from '../core/service.ts'
import { Supervisor, workerSettings } from '../cluster/supervisor.ts'
import { formatAddress, names, nodeAddress, type AmqpAddress, type Names } from './address.ts'
import { connectAmqp } from './connection.ts'
import { QueueConsumer } from './consumer.ts'
import { assertTopology } from './topology.ts'

export interface RabbitNodeOptions extends NodeOptions {
  /** Unacked jobs per worker (basic.qos). Default env MWLAB_AMQP_PREFETCH or 100. */
  prefetch?: number
  /** How long close() waits for in-flight jobs before returning them to the queue. Default 10000. */
  drainMs?: number
}

const REQUEST_PREFETCH = 200
const DEDUP_CAP = 100_000

export async function serveNode(role: NodeRole, opts: RabbitNodeOptions): Promise<RunningNode> {
  const addr = nodeAddress(opts, role)
  const log = createLogger(`rabbitmq ${role}${opts.nodeId ? ' ' + opts.nodeId : ''}`)
  const conn = await connectAmqp(addr.url, log)
  const node = new AmqpNode(role, opts, conn, addr, log)
  try {
    return await node.start()
  } catch (err) {
    // Undo what started (consumers, worker processes) before reporting the failure.
    await node.close().catch((e: unknown) => log.error('closing after a failed start', e))
    throw err instanceof MwlabError ? err : new UnavailableError(`rabbitmq ${role} node failed to start`, { cause: err })
  }
}

class AmqpNode implements RunningNode {
  private closing = false
  private finish!: (e: Error | undefined) => void
  private readonly done = new Promise<Error | undefined>((r) => (this.finish = r))
  private readonly consumers: QueueConsumer[] = []
  private broadcaster: Broadcaster | undefined
  private supervisor: Supervisor | undefined
  private closePromise: Promise<void> | undefined
  private mainCh: Channel | undefined
  private readonly n: Names
  readonly address: string

  constructor(
    readonly role: NodeRole,
    private readonly opts: RabbitNodeOptions,
    private readonly conn: ChannelModel,
    private readonly addr: AmqpAddress,
    private readonly log: Logger,
  ) {
    this.n = names(addr.namespace)
    this.address = formatAddress(addr)
  }

  async start(): Promise<this> {
    // Connection errors are logged and end the node: it is never silently reconnected.
    this.conn.on('error', (err) => this.log.error('connection error', err))
    this.conn.on('close', (err?: Error) => this.died(new UnavailableError('connection to RabbitMQ closed', { cause: err })))
    this.conn.on('blocked', (reason: string) => this.log.warn(`RabbitMQ blocks publishing: ${reason}`))
    this.conn.on('unblocked', () => this.log.info('RabbitMQ unblocked publishing'))
    const ch = (this.mainCh = await this.channel())
    await assertTopology(ch, this.n)
    const deadCh = await this.conn.createConfirmChannel()
    this.watch(deadCh, 'dead-letter')
    // A worker runs only moderate, which needs no state; the others own the store.
    const service = new ReviewService({ backend: new LocalBackend(), bannedWords: this.opts.bannedWords, jobConcurrency: this.opts.jobConcurrency })
    const consume = async (queue: string, prefetch: number, jobs: boolean) => {
      const c = await this.channel()
      await c.prefetch(prefetch)
      const handle = jobs
        ? (env: { op: string; params: unknown }) => service.callJob(env.op, env.params)
        : (env: { op: string; params: unknown }) => service.call(env.op, env.params)
      const consumer = new QueueConsumer({
        ch: c,
        deadCh,
        queue,
        dlx: this.n.dlx,
        log: this.log,
        handle,
        dedupCap: jobs ? DEDUP_CAP : 0,
        onCancelled: (reason) => this.fatal(reason),
      })
      await consumer.start()
      this.consumers.push(consumer)
    }
    if (this.role !== 'worker') {
      await consume(this.n.requests, REQUEST_PREFETCH, false)
      this.broadcaster = startBroadcaster(
        service.backend,
        (u) => {
          ch.publish(this.n.trending, '', Buffer.from(JSON.stringify(u)), { contentType: 'application/json' })
        },
        { intervalMs: this.opts.broadcastMs, onError: (err) => this.log.error('trending broadcast failed', err) },
      )
    }
    if (this.role !== 'master') await consume(this.n.jobs, prefetchOf(this.opts), true)
    if (this.role === 'master' && (this.opts.workers ?? 0) > 0) await this.supervise().start(this.opts.workers ?? 0)
    return this
  }

  async workers(): Promise<WorkerInfo[]> {
    return this.supervisor?.list() ?? []
  }

  /** Jobs waiting in the work queue (not yet delivered to a worker). */
  async backlog(): Promise<number> {
    if (!this.mainCh) throw new UnavailableError('node is not started')
    return (await this.mainCh.checkQueue(this.n.jobs)).messageCount
  }

  async sparesLoaded(): Promise<void> {
    await this.supervisor?.sparesLoaded()
  }

  async scaleTo(count: number): Promise<void> {
    if (this.role !== 'master') throw new MwlabError('UNIMPLEMENTED', `a ${this.role} node has no workers to scale`)
    await this.supervise().scaleTo(count)
  }

  close(): Promise<void> {
    this.closePromise ??= this.shutdown()
    return this.closePromise
  }

  closed(): Promise<Error | undefined> {
    return this.done
  }

  private async shutdown(): Promise<void> {
    if (this.closing) return
    this.closing = true
    this.broadcaster?.stop()
    try {
      await this.supervisor?.stopAll()
      const drainMs = this.opts.drainMs ?? 10_000
      await Promise.all(this.consumers.map((c) => c.stop(drainMs)))
      // The store owner is the only publisher of trending; its exchange goes with it.
      if (this.role !== 'worker') await this.mainCh?.deleteExchange(this.n.trending)
      await this.conn.close()
      this.finish(undefined)
    } catch (err) {
      this.log.error('close failed', err)
      this.finish(err instanceof Error ? err : new Error(String(err)))
      throw err
    }
  }

  private died(err: Error): void {
    if (this.closing) return
    this.closing = true
    this.log.error(`node stopped: ${err.message}${err.cause ? ` (${String(err.cause)})` : ''}`)
    this.broadcaster?.stop()
    // The master is gone; its workers must not outlive it as orphans. close() waits for them.
    this.closePromise = (this.supervisor?.stopAll() ?? Promise.resolve()).catch((e: unknown) => this.log.error('stopping workers', e))
    this.finish(err)
  }

  private supervise(): Supervisor {
    this.supervisor ??= new Supervisor({
      middleware: 'rabbitmq',
      master: this.address,
      broker: this.addr.url,
      namespace: this.addr.namespace,
      ...workerSettings(this.opts),
      env: this.opts.prefetch ? { MWLAB_AMQP_PREFETCH: String(this.opts.prefetch) } : undefined,
      onExit: (w, code, signal) => this.log.warn(`worker ${w.id} exited`, { code, signal }),
    })
    return this.supervisor
  }

  private async channel(): Promise<Channel> {
    const ch = await this.conn.createChannel()
    this.watch(ch, 'consumer')
    return ch
  }

  /** A channel the broker closes (e.g. a protocol error) ends the node rather than leaving it half alive. */
  private watch(ch: Channel, what: string): void {
    ch.on('error', (err) => this.log.error(`${what} channel error`, err))
    // Deferred a turn: when the whole connection dies, its own 'close' names the real cause.
    ch.on('close', () => setImmediate(() => this.fatal(new UnavailableError(`${what} channel closed by the broker`))))
  }

  /** Ends a node that can no longer serve although its connection is up. */
  private fatal(err: Error): void {
    if (this.closing) return
    this.died(err)
    this.conn.close().catch((e: unknown) => this.log.error('closing connection', e))
  }
}

function prefetchOf(opts: RabbitNodeOptions): number {
  // A job concurrency caps the unacked jobs too, so waiting jobs stay in the queue where
  // the backlog is measured and any worker can take them; twice the concurrency keeps the
  // next job at hand while the ack of the last one travels.
  const v = opts.prefetch ?? (opts.jobConcurrency ? 2 * opts.jobConcurrency : Number(process.env.MWLAB_AMQP_PREFETCH ?? 100))
  return Number.isInteger(v) && v > 0 ? v : 100
}
