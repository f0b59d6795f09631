// JSON-RPC calls over keep-alive HTTP connections (batched when several are made in the
// same turn, see coalescer.ts), with failures mapped onto mwlab errors. The library's
// JSONRPCClient is not used here on purpose: it turns a transport failure into an error
// response with code 0, losing the distinction between "server said no" and "server
// unreachable" that failover depends on.
import http from 'node:http'
import { InternalError, TooLargeError, UnavailableError, type MwlabError } from '../core/errors.ts'
import { BATCHING_BY_DEFAULT, Coalescer, type QueuedCall } from './coalescer.ts'
import { fromRpcError, MAX_BODY_BYTES, RPC_PATH } from './wire.ts'
import type { JSONRPCResponse } from 'json-rpc-2.0'

/** A batch body stays well under the server's body limit; bigger ones are split. */
const MAX_BATCH_BYTES = MAX_BODY_BYTES / 4

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])

/** Keep-alive connections, enough for a closed-loop harness with hundreds of calls in flight. */
export function keepAliveAgent(maxSockets = 512): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' })
}

/** A failed connection or broken stream as an UnavailableError (safe to retry with the same requestId). */
export function transportError(err: unknown, address: string): MwlabError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  const why = code ?? (err instanceof Error ? err.message : String(err))
  if (code === undefined || UNREACHABLE.has(code) || code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return new UnavailableError(`${address} unreachable (${why})`, { cause: err })
  }
  return new UnavailableError(`${address} failed (${why})`, { cause: err })
}

interface RawReply {
  status: number
  text: string
}

let nextId = 0

export class RpcEndpoint {
  private readonly host: string
  private readonly port: number

  constructor(
    readonly address: string,
    private readonly agent: http.Agent,
    batch = BATCHING_BY_DEFAULT,
  ) {
    this.coalescer = batch ? new Coalescer((group) => this.sendGroup(group)) : undefined
    const u = new URL(address)
    this.host = u.hostname.replace(/^\[|\]$/g, '')
    this.port = Number(u.port || 80)
  }

  private readonly coalescer: Coalescer | undefined

  /** Calls `method`; rejects with the server's typed error, UnavailableError, or `signal.reason`. */
  call(method: string, params: unknown, signal?: AbortSignal): Promise<unknown> {
    return this.coalescer ? this.coalescer.add(method, params, signal) : this.callOne(method, params, signal)
  }

  private async callOne(method: string, params: unknown, signal?: AbortSignal): Promise<unknown> {
    const body = JSON.stringify({ jsonrpc: '2.0', id: ++nextId, method, params })
    const reply = await this.post(body, signal, true)
    const failed = this.statusError(reply)
    if (failed) throw failed
    const msg = this.parse(reply) as JSONRPCResponse
    if (msg.error) throw fromRpcError(msg.error, method)
    return msg.result
  }

  private sendGroup(group: QueuedCall[]): void {
    if (group.length === 1) {
      const c = group[0]
      this.callOne(c.method, c.params, c.signal).then(c.resolve, c.reject)
      return
    }
    const ids = group.map(() => ++nextId)
    const body = `[${group.map((c, i) => JSON.stringify({ jsonrpc: '2.0', id: ids[i], method: c.method, params: c.params })).join(',')}]`
    if (body.length > MAX_BATCH_BYTES / 3 && Buffer.byteLength(body) > MAX_BATCH_BYTES) {
      const half = group.length >> 1
      this.sendGroup(group.slice(0, half))
      this.sendGroup(group.slice(half))
      return
    }
    // No signal: aborting one call must not cut the others off; its caller stops waiting anyway.
    this.post(body, undefined, true).then(
      (reply) => this.settleBatch(reply, group, ids),
      (err: unknown) => group.forEach((c) => c.reject(err)),
    )
  }

  private settleBatch(reply: RawReply, group: QueuedCall[], ids: number[]): void {
    try {
      const failed = this.statusError(reply)
      if (failed) throw failed
      const msg = this.parse(reply) as JSONRPCResponse | JSONRPCResponse[]
      if (!Array.isArray(msg)) {
        // The batch as a whole was refused (e.g. too many entries).
        const err = msg.error ? fromRpcError(msg.error, 'batch') : new InternalError(`${this.address} sent a reply that is not a batch`)
        throw err
      }
      const byId = new Map<unknown, JSONRPCResponse>()
      for (const r of msg) byId.set(r.id, r)
      group.forEach((c, i) => {
        const r = byId.get(ids[i])
        if (!r) c.reject(new InternalError(`${this.address} did not answer ${c.method} in a batch`))
        else if (r.error) c.reject(fromRpcError(r.error, c.method))
        else c.resolve(r.result)
      })
    } catch (err) {
      group.forEach((c) => c.reject(err))
    }
  }

  private post(body: string, signal: AbortSignal | undefined, mayRetry: boolean): Promise<RawReply> {
    return new Promise<RawReply>((resolve, reject) => {
      const req = http.request({
        host: this.host,
        port: this.port,
        path: RPC_PATH,
        method: 'POST',
        agent: this.agent,
        signal,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      })
      let answered = false
      req.on('response', (res) => {
        answered = true
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8') }))
        res.on('error', (err) => reject(signal?.aborted ? signal.reason : transportError(err, this.address)))
      })
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (answered) return // e.g. EPIPE after a 413: the server's answer is what counts
        // A kept-alive socket the server closed just as we reused it: the request never
        // reached a handler, so one immediate retry on a fresh socket is safe.
        if (mayRetry && req.reusedSocket && err.code === 'ECONNRESET' && !signal?.aborted) {
          this.post(body, signal, false).then(resolve, reject)
          return
        }
        reject(signal?.aborted ? signal.reason : transportError(err, this.address))
      })
      req.end(body)
    })
  }

  private statusError(reply: RawReply): MwlabError | undefined {
    if (reply.status === 200) return undefined
    if (reply.status === 413) return new TooLargeError(`request to ${this.address} too large (HTTP 413)`)
    if (reply.status === 503) return new UnavailableError(`${this.address} unavailable (HTTP 503)`)
    return new InternalError(`${this.address} answered HTTP ${reply.status}`)
  }

  private parse(reply: RawReply): unknown {
    try {
      const msg: unknown = JSON.parse(reply.text)
      if (typeof msg === 'object' && msg !== null) return msg
    } catch (err) {
      throw new InternalError(`${this.address} sent an unreadable reply`, { cause: err })
    }
    throw new InternalError(`${this.address} sent a reply that is not JSON-RPC`)
  }
}
