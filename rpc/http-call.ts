// JSON-RPC calls over keep-alive HTTP connections (batched when several are made in the
// same turn, see coalescer.ts), with failures mapped onto mwlab errors. The library's
// JSONRPCClient is not used here on purpose: it turns a transport failure into an error
// response with code 0, losing the distinction between "server said no" and "server
// unreachable" that failover depends on. The HTTP client is undici rather than node:http:
// on this lab's 2 shared cores the client's CPU per call caps a closed loop, and undici
// spends about a quarter less of it per call (measured against the same node).
import { Agent } from 'undici'
import { isAborted, onAbort, type Abortable } from '../core/abortable.ts'
import { InternalError, TooLargeError, UnavailableError, type MwlabError } from '../core/errors.ts'
import { BATCHING_BY_DEFAULT, Coalescer, type QueuedCall } from './coalescer.ts'
import { fromRpcError, MAX_BODY_BYTES, RPC_PATH } from './wire.ts'
import type { JSONRPCResponse } from 'json-rpc-2.0'

/** A batch body stays well under the server's body limit; bigger ones are split. */
const MAX_BATCH_BYTES = MAX_BODY_BYTES / 4

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED'])

/** Keep-alive connections per server, enough for a closed-loop harness with hundreds of calls in flight. */
export function keepAliveAgent(connections = 512): Agent {
  // No pipelining: a request stuck behind another on one connection would fail with it.
  return new Agent({ connections, pipelining: 1 })
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
const JSON_HEADERS = { 'content-type': 'application/json' }

/**
 * One POST's callbacks, in the interface undici's own request API implements: an object of
 * a class rather than closures made per call.
 */
class PostHandler {
  private status = 0
  private readonly chunks: Buffer[] = []
  private forget: (() => void) | undefined

  constructor(
    private readonly abort: Abortable | undefined,
    private readonly address: string,
    private readonly resolve: (r: RawReply) => void,
    private readonly reject: (err: unknown) => void,
  ) {}

  /** The request got a connection: an abort from now on drops it, one that came before drops it at once. */
  onConnect(drop: (err: Error) => void): void {
    if (this.abort) this.forget = onAbort(this.abort, (reason) => drop(reason instanceof Error ? reason : new Error(String(reason))))
  }

  onHeaders(statusCode: number): boolean {
    this.status = statusCode
    return true
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk)
    return true
  }

  onComplete(): void {
    this.forget?.()
    const body = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks)
    this.resolve({ status: this.status, text: body.toString('utf8') })
  }

  onError(err: Error): void {
    this.forget?.()
    // Dropped because its caller gave up (before or after it had a connection): the abort's reason.
    if (isAborted(this.abort)) onAbort(this.abort, this.reject)
    else this.reject(transportError(err, this.address))
  }
}

export class RpcEndpoint {
  private readonly origin: string

  constructor(
    readonly address: string,
    private readonly agent: Agent,
    batch = BATCHING_BY_DEFAULT,
  ) {
    this.coalescer = batch ? new Coalescer((group) => this.sendGroup(group)) : undefined
    this.origin = new URL(address).origin
  }

  private readonly coalescer: Coalescer | undefined

  /**
   * Calls `method`; rejects with the server's typed error, UnavailableError, or the abort's
   * reason. An abort drops the HTTP request (undici closes its connection), unless the call
   * went out in a batch with others.
   */
  call(method: string, params: unknown, abort?: Abortable): Promise<unknown> {
    return this.coalescer ? this.coalescer.add(method, params, abort) : this.callOne(method, params, abort)
  }

  private async callOne(method: string, params: unknown, abort?: Abortable): Promise<unknown> {
    const body = JSON.stringify({ jsonrpc: '2.0', id: ++nextId, method, params })
    const reply = await this.post(body, abort)
    const failed = this.statusError(reply)
    if (failed) throw failed
    const msg = this.parse(reply) as JSONRPCResponse
    if (msg.error) throw fromRpcError(msg.error, method)
    return msg.result
  }

  private sendGroup(group: QueuedCall[]): void {
    if (group.length === 1) {
      const c = group[0]
      this.callOne(c.method, c.params, c.abort).then(c.resolve, c.reject)
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
    this.post(body, undefined).then(
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

  /**
   * One POST through undici's dispatcher: the request API on top of it made an AbortSignal
   * listener and a Readable body per call.
   */
  private post(body: string, abort: Abortable | undefined): Promise<RawReply> {
    return new Promise<RawReply>((resolve, reject) => {
      const handler = new PostHandler(abort, this.address, resolve, reject)
      this.agent.dispatch({ origin: this.origin, path: RPC_PATH, method: 'POST', headers: JSON_HEADERS, body }, handler as unknown as Parameters<Agent['dispatch']>[1])
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
