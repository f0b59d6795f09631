// The gRPC client's Transport (core/client.ts does deadlines, cancellation and request ids).
// Against a master it spreads calls round-robin over the live workers the master lists
// (cluster/balancer.ts withFailover, as rpc does), retrying a call that failed with UNAVAILABLE on another worker
// (same params, so the same requestId) until the deadline; with no usable worker the
// master, which serves every operation itself, answers. Anything else is called directly.
import { Balancer, withFailover } from '../cluster/balancer.ts'
import type { CallContext, Transport } from '../core/client.ts'
import { TimeoutError, UnavailableError } from '../core/errors.ts'
import { createLogger } from '../core/log.ts'
import type { OperationName, TrendingUpdate } from '../core/schemas.ts'
import { parseParams } from '../core/service.ts'
import { NodeConnection } from './connection.ts'

const log = createLogger('grpc client')
const WORKERS_TIMEOUT_MS = 5000
const REFRESH_MS = 1000

export interface GrpcTransportOptions {
  server: string
  /**
   * Validate params with the shared schemas before encoding (default true). Protobuf
   * encoding would otherwise coerce what it cannot carry (rating 3.5 -> 3, "5" -> 5,
   * unknown keys dropped) and the server would validate something else than was sent.
   * Tests turn it off to exercise the server's own validation.
   */
  precheck?: boolean
  /** Send moderate calls on one bidirectional stream per node instead of one unary call each. */
  batch?: boolean
}

export class GrpcTransport implements Transport {
  private readonly workerConns = new Map<string, NodeConnection>()
  private balancer: Balancer | undefined
  private readonly precheck: boolean
  private readonly entry: NodeConnection
  private readonly batch: boolean

  private constructor(o: GrpcTransportOptions) {
    this.batch = o.batch ?? false
    this.entry = new NodeConnection(o.server, this.batch)
    this.precheck = o.precheck ?? true
  }

  /** Connects to `server`; asks it for workers and balances over them when it is a master. */
  static async open(o: GrpcTransportOptions): Promise<GrpcTransport> {
    const t = new GrpcTransport(o)
    try {
      const workers = await t.entry.workers(Date.now() + WORKERS_TIMEOUT_MS)
      if (workers !== undefined) {
        let failing = false
        t.balancer = new Balancer({
          refreshMs: REFRESH_MS,
          // With no live worker left, the master answers every operation itself.
          fetch: async () => {
            const list = await t.entry.workers(Date.now() + WORKERS_TIMEOUT_MS)
            failing = false
            const workers = t.keepConnections((list ?? []).flatMap((w) => (w.address ? [w.address] : [])))
            return workers.length > 0 ? workers : [o.server]
          },
          onError: (err) => {
            if (!failing) log.warn(`cannot refresh the worker list from ${o.server}`, err)
            failing = true
          },
        })
        await t.balancer.start()
      }
      return t
    } catch (err) {
      await t.close()
      // A server that does not answer at connect time is unreachable, whatever the wire said.
      if (err instanceof TimeoutError) throw new UnavailableError(`no answer from ${o.server} within ${WORKERS_TIMEOUT_MS} ms`, { cause: err })
      throw err
    }
  }

  async call(op: OperationName, params: Record<string, unknown>, ctx: CallContext): Promise<unknown> {
    if (this.precheck) parseParams(op, params)
    if (!this.balancer) return this.entry.call(op, params, ctx)
    return withFailover(this.balancer, ctx, (address) => this.connection(address).call(op, params, ctx))
  }

  private connection(address: string): NodeConnection {
    if (address === this.entry.address) return this.entry
    let c = this.workerConns.get(address)
    if (!c) this.workerConns.set(address, (c = new NodeConnection(address, this.batch)))
    return c
  }

  /** Closes the channels of workers the master no longer lists. */
  private keepConnections(addresses: string[]): string[] {
    for (const [a, c] of this.workerConns) {
      if (!addresses.includes(a)) {
        c.close()
        this.workerConns.delete(a)
      }
    }
    return addresses
  }

  subscribe(signal: AbortSignal): AsyncIterable<TrendingUpdate> {
    return this.entry.subscribe(signal)
  }

  async close(): Promise<void> {
    this.balancer?.close()
    for (const c of this.workerConns.values()) c.close()
    this.workerConns.clear()
    this.entry.close()
  }
}
