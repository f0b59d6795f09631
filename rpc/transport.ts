// The client side of the rpc driver, as a core/client.ts Transport. At connect time it
// asks the server for `cluster.workers`, which only a master answers:
// - a master: calls go round-robin over its workers (cluster/balancer.ts); a call that
//   cannot reach its worker is retried, with the same params (so the same requestId), on
//   another live worker until its deadline; the list is refreshed every second and after
//   each failure. While the master has no worker, it serves the calls itself, so workers
//   started later are picked up within a second.
// - otherwise (single node, worker, or unreachable at connect): calls go to the server.
// subscribe always reads the stream of the server the client was given.
import http from 'node:http'
import type { ClientOptions, WorkerInfo } from '../core/contract.ts'
import type { CallContext, Transport } from '../core/client.ts'
import { CancelledError, MwlabError } from '../core/errors.ts'
import { createLogger } from '../core/log.ts'
import type { OperationName, TrendingUpdate } from '../core/schemas.ts'
import { Balancer, withFailover } from '../cluster/balancer.ts'
import { BATCHING_BY_DEFAULT } from './coalescer.ts'
import { keepAliveAgent, RpcEndpoint } from './http-call.ts'
import { readSubscription } from './sse.ts'

const log = createLogger('rpc-client')
const PROBE_TIMEOUT_MS = 5000

export async function createTransport(opts: ClientOptions): Promise<Transport> {
  const server = opts.server.replace(/\/+$/, '')
  const agent = keepAliveAgent()
  const streamAgent = new http.Agent()
  const batch = opts.batch ?? BATCHING_BY_DEFAULT
  const direct = new RpcEndpoint(server, agent, batch)
  const endpoints = new Map<string, RpcEndpoint>([[server, direct]])
  const endpoint = (address: string) => {
    let e = endpoints.get(address)
    if (!e) endpoints.set(address, (e = new RpcEndpoint(address, agent, batch)))
    return e
  }
  const fetchWorkers = async (): Promise<string[]> => {
    const list = (await direct.call('cluster.workers', {}, AbortSignal.timeout(PROBE_TIMEOUT_MS))) as WorkerInfo[]
    return list.map((w) => w.address).filter((a): a is string => typeof a === 'string')
  }

  // undici's agent refuses every request once destroyed; a call still retrying over the
  // workers when the client closes ends at once instead of failing over until its deadline.
  let closed = false

  let isMaster = false
  try {
    await fetchWorkers()
    isMaster = true
  } catch (err) {
    // A single node answers UNIMPLEMENTED; an unreachable server is reported by the first
    // call (UnavailableError), not by connect.
    if (!(err instanceof MwlabError && err.code === 'UNIMPLEMENTED')) log.debug(`could not list workers of ${server}; calling it directly`, err)
  }

  let balancer: Balancer | undefined
  if (isMaster) {
    balancer = new Balancer({
      // With no live worker left, the master answers the review operations itself.
      fetch: async () => {
        if (closed) return [server] // nothing is sent any more; do not ask a destroyed agent
        const list = await fetchWorkers()
        return list.length > 0 ? list : [server]
      },
      onError: (err) => log.warn(`refreshing the worker list from ${server} failed`, err),
    })
    await balancer.start()
  }

  const closedError = () => new CancelledError('client closed while the call was in flight')
  return {
    call(op: OperationName, params: Record<string, unknown>, ctx: CallContext): Promise<unknown> {
      if (!balancer) return direct.call(op, params, ctx)
      return withFailover(balancer, ctx, (address) => (closed ? Promise.reject(closedError()) : endpoint(address).call(op, params, ctx)))
    },
    subscribe(signal: AbortSignal): AsyncIterable<TrendingUpdate> {
      return readSubscription(server, streamAgent, signal)
    },
    async close() {
      closed = true
      balancer?.close()
      streamAgent.destroy()
      await agent.destroy()
    },
  }
}
