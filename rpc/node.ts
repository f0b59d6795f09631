// Starts an RPC node in one of the three roles:
// - single: owns the store, answers every operation, broadcasts trending.
// - master: the same, plus the worker registry (cluster.*), and optionally N supervised
//   worker processes.
// - worker: answers every operation; moderate runs here, state operations are forwarded
//   to the master; registers and heartbeats with the master.
import { randomUUID } from 'node:crypto'
import http from 'node:http'
import type { NodeOptions, NodeRole, RunningNode, WorkerInfo } from '../core/contract.ts'
import { startBroadcaster, type Broadcaster } from '../core/broadcaster.ts'
import { createLogger } from '../core/log.ts'
import { LocalBackend, ReviewService, type ReviewBackend } from '../core/service.ts'
import { DEFAULT_HEARTBEAT_MS, Registry } from '../cluster/registry.ts'
import { Supervisor, workerSettings } from '../cluster/supervisor.ts'
import { keepAliveAgent, RpcEndpoint } from './http-call.ts'
import { startHttpServer, type HttpNode } from './http-server.ts'
import { masterBackend } from './master-backend.ts'
import { buildRpcServer, type ClusterControl } from './methods.ts'
import { relaySubscribe, SubscriberHub } from './sse.ts'
import { linkToMaster, type WorkerLink } from './worker-link.ts'

const log = createLogger('rpc-node')

/** The driver's RunningNode, plus what fault tests need to reach (not part of the contract). */
export interface RpcNode extends RunningNode {
  /** The master's worker-process supervisor, once it has started workers. */
  readonly supervisor: Supervisor | undefined
  readonly httpServer: http.Server
}

export interface NodeInternals {
  /** Replaces the store owner's backend (tests inject a failing one). */
  backend?: ReviewBackend
}

export async function startNode(role: NodeRole, opts: NodeOptions = {}, internals: NodeInternals = {}): Promise<RpcNode> {
  if (role === 'worker' && !opts.master) throw new Error('an rpc worker needs opts.master (the master address)')
  const heartbeatMs = opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS
  const hub = new SubscriberHub()
  const stoppers: Array<() => Promise<void> | void> = [] // run in reverse on close

  let service: ReviewService
  let broadcaster: Broadcaster | undefined
  let registry: Registry | undefined
  const relayAgent = new http.Agent() // long-lived streams stay off the call pool
  if (role === 'worker') {
    const forwardAgent = keepAliveAgent(256)
    service = new ReviewService({ backend: masterBackend(new RpcEndpoint(opts.master!, forwardAgent)), bannedWords: opts.bannedWords, jobConcurrency: opts.jobConcurrency })
    stoppers.push(() => forwardAgent.destroy())
  } else {
    const backend = internals.backend ?? new LocalBackend()
    service = new ReviewService({ backend, bannedWords: opts.bannedWords, jobConcurrency: opts.jobConcurrency })
    broadcaster = startBroadcaster(backend, (u) => hub.publish(u), {
      intervalMs: opts.broadcastMs,
      onError: (err) => log.error('trending broadcast failed', err),
    })
  }
  stoppers.push(() => relayAgent.destroy())

  let supervisor: Supervisor | undefined
  const cluster: ClusterControl = {}
  if (role === 'master') {
    const reg = (registry = new Registry({ heartbeatMs, onEvict: (w) => log.warn(`evicted worker ${w.id} after 3 missed heartbeats`) }))
    cluster.workers = () => withPids(reg.live(), supervisor)
    cluster.register = (w) => reg.register(w)
    cluster.heartbeat = (id) => reg.heartbeat(id)
    cluster.deregister = (id) => reg.deregister(id)
  }

  const http_: HttpNode = await startHttpServer({
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
    rpc: buildRpcServer(service, cluster),
    onSubscribe: (req, res) => (role === 'worker' ? relaySubscribe(opts.master!, relayAgent, hub, req, res) : hub.attach(res)),
  })
  const address = http_.address

  const supervised = () =>
    (supervisor ??= new Supervisor({
      middleware: 'rpc',
      master: address,
      ...workerSettings(opts),
      // A worker that crashed is gone now; no need to wait for 3 missed beats.
      onExit: (w) => registry?.deregister(w.id),
    }))

  let link: WorkerLink | undefined
  try {
    if (role === 'worker') {
      const controlAgent = keepAliveAgent(4)
      stoppers.push(() => controlAgent.destroy())
      const id = opts.nodeId ?? `rpc-worker-${process.pid}-${randomUUID().slice(0, 8)}`
      link = await linkToMaster(new RpcEndpoint(opts.master!, controlAgent), { id, address }, heartbeatMs)
    }
    if (role === 'master' && (opts.workers ?? 0) > 0) await supervised().start(opts.workers!)
  } catch (err) {
    await shutdown()
    throw err
  }

  let resolveClosed!: (e: Error | undefined) => void
  const closedP = new Promise<Error | undefined>((r) => (resolveClosed = r))
  http_.server.on('error', (err) => {
    log.error('server failed', err)
    resolveClosed(err)
  })

  async function shutdown(): Promise<void> {
    await supervisor?.stopAll()
    await link?.close()
    broadcaster?.stop()
    registry?.close()
    hub.close()
    await http_.close()
    for (const stop of [...stoppers].reverse()) await stop()
  }

  let closing: Promise<void> | undefined
  return {
    role,
    address,
    get supervisor() {
      return supervisor
    },
    httpServer: http_.server,
    async workers(): Promise<WorkerInfo[]> {
      return cluster.workers?.() ?? []
    },
    scaleTo: role === 'master' ? (n: number) => supervised().scaleTo(n) : undefined,
    close() {
      closing ??= shutdown().then(() => resolveClosed(undefined))
      return closing
    },
    closed: () => closedP,
  }
}

/** The registry's live list, with the OS pid of the workers this master started. */
function withPids(live: WorkerInfo[], sup: Supervisor | undefined): WorkerInfo[] {
  if (!sup) return live
  const pids = new Map(sup.list().map((w) => [w.id, w.pid]))
  return live.map((w) => (w.pid === undefined && pids.has(w.id) ? { ...w, pid: pids.get(w.id) } : w))
}
