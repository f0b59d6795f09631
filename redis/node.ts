// The three roles over Redis. single: owns the store (request list, broadcaster, reaper)
// and consumes jobs. master: owns the store and supervises N worker processes that
// consume jobs. worker: consumes jobs only; it needs nothing from the master but the
// broker URL and namespace in the master's address.
import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { NodeOptions, NodeRole, RunningNode, WorkerInfo } from '../core/contract.ts'
import { startBroadcaster, type Broadcaster } from '../core/broadcaster.ts'
import { UnavailableError } from '../core/errors.ts'
import { createLogger, type Logger } from '../core/log.ts'
import { ReviewService } from '../core/service.ts'
import type { Supervisor } from '../cluster/supervisor.ts'
import { closeRedis, openRedis, redactUrl } from './connection.ts'
import { JobWorker } from './job-worker.ts'
import { checkNamespace, DEFAULT_NAMESPACE, DEFAULT_REDIS_URL, formatAddress, keysOf, parseAddress, type Endpoint, type Keys } from './keys.ts'
import { startReaper, type Reaper } from './reaper.ts'
import { startRequestServer, type RequestServer } from './request-server.ts'
import { HOLD_OWNER, RELEASE_OWNER, runScript } from './scripts.ts'

/** Where a node's broker and namespace come from: a worker's master address wins, then opts.broker's fragment. */
export function endpointFor(role: NodeRole, opts: NodeOptions): Endpoint {
  if (role === 'worker') {
    if (!opts.master && !opts.broker) throw new UnavailableError('a redis worker needs opts.master (the master address)')
    const m = opts.master ? parseAddress(opts.master) : undefined
    const hasNs = opts.master?.includes('#')
    return { url: m?.url ?? parseAddress(opts.broker!).url, namespace: hasNs ? m!.namespace : checkNamespace(opts.namespace ?? DEFAULT_NAMESPACE) }
  }
  let broker = opts.broker ?? process.env.REDIS_URL ?? DEFAULT_REDIS_URL
  if (!broker.includes('://')) broker = `redis://${broker}` // host:port
  const b = parseAddress(broker)
  return { url: b.url, namespace: broker.includes('#') ? b.namespace : checkNamespace(opts.namespace ?? DEFAULT_NAMESPACE) }
}

function safeId(role: NodeRole, given?: string): string {
  const id = given ?? `${role}-${process.pid}-${randomBytes(3).toString('hex')}`
  return id.replace(/[^A-Za-z0-9_.-]/g, '_')
}

interface Parts {
  cmd: Redis
  keys: Keys
  log: Logger
  ownerId?: string
  ownerTimer?: NodeJS.Timeout
  requests?: RequestServer
  broadcaster?: Broadcaster
  reaper?: Reaper
  jobs?: JobWorker
  supervisor?: Supervisor
}

export async function serveRedis(role: NodeRole, opts: NodeOptions): Promise<RunningNode> {
  const ep = endpointFor(role, opts)
  const address = formatAddress(ep)
  const nodeId = safeId(role, opts.nodeId)
  const heartbeatMs = opts.heartbeatMs ?? 1000
  const log = createLogger(`redis ${role} ${nodeId}`)
  const keys = keysOf(ep.namespace)
  const service = new ReviewService({ bannedWords: opts.bannedWords, jobConcurrency: opts.jobConcurrency })
  const cmd = await openRedis(ep.url, { name: `mwlab-${role}-${nodeId}`, autoPipeline: true, log })
  const p: Parts = { cmd, keys, log }

  let resolveClosed!: (e: Error | undefined) => void
  const closedP = new Promise<Error | undefined>((r) => (resolveClosed = r))
  let closing: Promise<void> | undefined

  async function shutdown(): Promise<void> {
    clearInterval(p.ownerTimer)
    p.broadcaster?.stop()
    p.reaper?.stop()
    // Workers first: they drain or return their jobs while the store still answers.
    await p.supervisor?.stopAll().catch((err) => log.error('stopping workers failed', err))
    await p.jobs?.stop()
    await p.requests?.stop()
    if (p.ownerId) await runScript(cmd, RELEASE_OWNER, [keys.owner], [p.ownerId]).catch((err) => log.error('releasing the store lock failed', err))
    await closeRedis(cmd)
  }
  const close = (err?: Error) => (closing ??= shutdown().then(() => resolveClosed(err), (e) => resolveClosed(e as Error)))
  // One supervisor, made on first use with every worker setting (start at boot or a later scaleTo).
  const supervise = async () => {
    if (p.supervisor) return p.supervisor
    const { Supervisor, workerSettings } = await import('../cluster/supervisor.ts')
    return (p.supervisor ??= new Supervisor({
      middleware: 'redis',
      master: address,
      broker: ep.url,
      namespace: ep.namespace,
      ...workerSettings(opts),
      heartbeatMs, // this node's own default when opts has none
    }))
  }

  try {
    if (role !== 'worker') {
      // One store owner per namespace: a second one would split the reviews between two stores.
      const ttl = 3 * heartbeatMs
      if ((await runScript(cmd, HOLD_OWNER, [keys.owner], [nodeId, ttl])) !== 1) {
        throw new UnavailableError(`namespace ${ep.namespace} on ${redactUrl(ep.url)} is already served by node ${await cmd.get(keys.owner)}`)
      }
      p.ownerId = nodeId
      p.ownerTimer = setInterval(async () => {
        try {
          if ((await runScript(cmd, HOLD_OWNER, [keys.owner], [nodeId, ttl])) !== 1) {
            log.error('lost the store lock to another node; stopping')
            void close(new Error(`redis ${role} node ${nodeId} lost the store lock of namespace ${ep.namespace}`))
          }
        } catch (err) {
          log.error('refreshing the store lock failed', err)
        }
      }, heartbeatMs)
      p.requests = await startRequestServer({ url: ep.url, keys, service, cmd, log })
      p.reaper = startReaper(cmd, keys, log)
      p.broadcaster = startBroadcaster(service.backend, async (u) => void (await cmd.publish(keys.trending, JSON.stringify(u))), {
        intervalMs: opts.broadcastMs,
        onError: (err) => log.error('broadcast failed', err),
      })
    }
    if (role !== 'master') {
      // With a job concurrency set, hold twice that many jobs at most (one at hand while the last
      // is answered): the rest stay in the queue, where the backlog is visible to the autoscaler
      // and another worker can take them.
      p.jobs = new JobWorker({ url: ep.url, keys, workerId: nodeId, service, cmd, log, heartbeatMs, prefetch: opts.jobConcurrency && 2 * opts.jobConcurrency })
      await p.jobs.start()
    }
    if (role === 'master' && (opts.workers ?? 0) > 0) await (await supervise()).start(opts.workers!)
  } catch (err) {
    await close()
    throw err
  }
  log.info(`serving ${address}`)

  return {
    role,
    address,
    workers: () => (role === 'master' ? liveWorkers(cmd, keys, p.supervisor) : Promise.resolve([])),
    scaleTo:
      role === 'master'
        ? async (n: number) => {
            await (await supervise()).scaleTo(n)
          }
        : undefined,
    backlog: role === 'master' ? () => cmd.llen(keys.jobs) : undefined,
    sparesLoaded: async () => p.supervisor?.sparesLoaded(),
    close: () => close(),
    closed: () => closedP,
  }
}

/** Workers whose heartbeat key is alive, whoever started them; pids from the heartbeat. */
async function liveWorkers(cmd: Redis, keys: Keys, sup?: Supervisor): Promise<WorkerInfo[]> {
  const ids = await cmd.smembers(keys.workers)
  if (ids.length === 0) return []
  const beats = await cmd.mget(ids.map(keys.heartbeat))
  const started = new Map((sup?.list() ?? []).map((w) => [w.id, w]))
  const out: WorkerInfo[] = []
  ids.forEach((id, i) => {
    const b = beats[i]
    if (!b) return
    const hb = JSON.parse(b) as { pid?: number; at?: number }
    out.push({ id, pid: hb.pid ?? started.get(id)?.pid, lastSeen: hb.at ?? Date.now() })
  })
  return out.sort((a, b) => a.id.localeCompare(b.id))
}
