// Starts a middleware as a single node or as a master with N worker processes, and a
// client connected to it: the unit the conformance suite and fault tests run against.
import { randomBytes } from 'node:crypto'
import type { MiddlewareName, ReviewClient, RunningNode } from '../core/contract.ts'
import { loadDriver, needsBroker } from '../core/drivers.ts'

export type TopologyKind = 'single' | 'cluster'

export interface BrokerUrls {
  redis: string
  amqp: string
  kafka: string
}

export interface Topology {
  middleware: MiddlewareName
  kind: TopologyKind
  node: RunningNode
  client: ReviewClient
  /** Opens another client on the same topology (closed with the topology). */
  connect(): Promise<ReviewClient>
  close(): Promise<void>
}

export function brokerFor(mw: MiddlewareName, urls: BrokerUrls): string | undefined {
  if (!needsBroker(mw)) return undefined
  return mw === 'redis' ? urls.redis : mw === 'rabbitmq' ? urls.amqp : urls.kafka
}

export function uniqueNamespace(prefix = 't'): string {
  return `${prefix}${Date.now().toString(36)}${randomBytes(3).toString('hex')}`
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await probe()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

export async function startTopology(
  mw: MiddlewareName,
  kind: TopologyKind,
  urls: BrokerUrls,
  opts: { workers?: number; broadcastMs?: number; heartbeatMs?: number } = {},
): Promise<Topology> {
  const driver = await loadDriver(mw)
  const workers = kind === 'cluster' ? (opts.workers ?? 3) : 0
  const node = await driver.serve(kind === 'cluster' ? 'master' : 'single', {
    port: 0,
    broker: brokerFor(mw, urls),
    namespace: uniqueNamespace(),
    workers,
    broadcastMs: opts.broadcastMs ?? 300,
    heartbeatMs: opts.heartbeatMs,
  })
  const clients: ReviewClient[] = []
  try {
    if (workers > 0) await waitFor(`${workers} ${mw} workers`, async () => (await node.workers()).length >= workers)
    const connect = async () => {
      const c = await driver.connect({ server: node.address, timeoutMs: 15_000 })
      clients.push(c)
      return c
    }
    const client = await connect()
    return {
      middleware: mw,
      kind,
      node,
      client,
      connect,
      async close() {
        await Promise.allSettled(clients.map((c) => c.close()))
        await node.close()
      },
    }
  } catch (err) {
    await Promise.allSettled(clients.map((c) => c.close()))
    await node.close()
    throw err
  }
}
