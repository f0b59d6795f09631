// driver.serve(role, opts). single and master own the store (LocalBackend) and the trending
// broadcaster; a master also runs the Cluster registry and may supervise worker processes.
// A worker runs its own server: moderate locally, state operations forwarded to the master.
import { AsyncLocalStorage } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'
import { DEFAULT_HEARTBEAT_MS, Registry } from '../cluster/registry.ts'
import { Supervisor, workerSettings } from '../cluster/supervisor.ts'
import { startBroadcaster } from '../core/broadcaster.ts'
import type { NodeOptions, NodeRole, RunningNode } from '../core/contract.ts'
import { createLogger } from '../core/log.ts'
import { ReviewService } from '../core/service.ts'
import { clusterHandlers } from './cluster-handlers.ts'
import { NodeConnection } from './connection.ts'
import { Lifecycle } from './lifecycle.ts'
import { mwlab } from './proto.ts'
import { remoteBackend, type ParentCall } from './remote-backend.ts'
import { ModerateStreamServer } from './moderate-stream.ts'
import { reviewHandlers } from './review-handlers.ts'
import { bindServer, newServer } from './server.ts'
import { SubscribeRelay, SubscriberHub } from './subscribers.ts'
import { WorkerAgent } from './worker-agent.ts'

export function serveNode(role: NodeRole, opts: NodeOptions): Promise<RunningNode> {
  return role === 'worker' ? serveWorker(opts) : serveOwner(role, opts)
}

async function serveOwner(role: 'single' | 'master', opts: NodeOptions): Promise<RunningNode> {
  const log = createLogger(`grpc ${role}`)
  const service = new ReviewService({ bannedWords: opts.bannedWords, jobConcurrency: opts.jobConcurrency })
  const hub = new SubscriberHub(log)
  const server = newServer()
  const streams = new ModerateStreamServer(service, log)
  server.addService(mwlab.ReviewService.service, reviewHandlers({ service, subscribe: hub.handle, moderateStream: streams.handle, log }))
  const registry = role === 'master' ? new Registry({ heartbeatMs: opts.heartbeatMs }) : undefined
  if (registry) server.addService(mwlab.Cluster.service, clusterHandlers(registry, log))
  const bound = await bindServer(server, opts.host, opts.port, log)

  const broadcaster = startBroadcaster(service.backend, (u) => hub.publish(u), {
    intervalMs: opts.broadcastMs,
    onError: (err) => log.warn('trending broadcast failed', err),
  })
  const supervisor = registry
    ? new Supervisor({
        middleware: 'grpc',
        master: bound.address,
        ...workerSettings(opts),
        // A worker this master started and saw die need not wait for 3 missed beats.
        onExit: (w) => registry.deregister(w.id),
      })
    : undefined
  const life = new Lifecycle(async () => {
    broadcaster.stop()
    hub.endAll()
    await supervisor?.stopAll()
    registry?.close()
    streams.drain()
    await bound.shutdown()
  })
  if (supervisor && opts.workers) {
    try {
      await supervisor.start(opts.workers)
    } catch (err) {
      await life.close()
      throw err
    }
  }
  return {
    role,
    address: bound.address,
    workers: async () => registry?.live() ?? [],
    ...(supervisor && { scaleTo: (n: number) => supervisor.scaleTo(n) }),
    close: life.close,
    closed: life.closed,
  }
}

async function serveWorker(opts: NodeOptions): Promise<RunningNode> {
  if (!opts.master) throw new Error('a grpc worker needs opts.master (the master address)')
  const id = opts.nodeId ?? `grpc-w-${randomUUID().slice(0, 8)}`
  const log = createLogger(`grpc worker ${id}`)
  const master = new NodeConnection(opts.master)
  const scope = new AsyncLocalStorage<ParentCall>()
  const backend = remoteBackend(master.reviews, scope)
  const service = new ReviewService({ backend, bannedWords: opts.bannedWords, jobConcurrency: opts.jobConcurrency })
  const relay = new SubscribeRelay(master.reviews, log)
  const server = newServer()
  const streams = new ModerateStreamServer(service, log)
  server.addService(mwlab.ReviewService.service, reviewHandlers({ service, subscribe: relay.handle, moderateStream: streams.handle, scope, log }))
  const bound = await bindServer(server, opts.host, opts.port, log)
  const agent = new WorkerAgent(master.cluster, { id, address: bound.address, pid: process.pid }, opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS, log)
  const life = new Lifecycle(async () => {
    // Leave the registry first so clients stop picking us, then finish what is in flight.
    await agent.stop()
    relay.endAll()
    streams.drain()
    await bound.shutdown()
    master.close()
  })
  try {
    await agent.start()
  } catch (err) {
    await bound.shutdown()
    master.close()
    throw err
  }
  return { role: 'worker', address: bound.address, workers: async () => [], close: life.close, closed: life.closed }
}
