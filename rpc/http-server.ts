// The HTTP side of a node: POST / carries JSON-RPC 2.0 (single or batch), GET /subscribe
// streams broadcasts (see sse.ts), GET /health says the node is up. Request shape, batch
// rules and size limits are enforced here; the method table (methods.ts) does the rest.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { JSONRPCErrorCode, type JSONRPCResponse, type JSONRPCServer } from 'json-rpc-2.0'
import { createLogger } from '../core/log.ts'
import { idOf, isValidRequest, MAX_BATCH, MAX_BODY_BYTES, rpcError, RPC_PATH, SUBSCRIBE_PATH } from './wire.ts'

const log = createLogger('rpc-http')
// Longer than any client agent keeps an idle socket, so a client never writes into a
// socket the server is closing (the classic keep-alive ECONNRESET race).
const KEEP_ALIVE_MS = 65_000

export interface HttpNodeOptions {
  host: string
  port: number
  rpc: JSONRPCServer
  /** Takes over a GET /subscribe request for as long as it streams. */
  onSubscribe(req: http.IncomingMessage, res: http.ServerResponse): void
}

export interface HttpNode {
  readonly server: http.Server
  readonly address: string
  /** Stops accepting, lets in-flight requests finish (up to graceMs), then drops the rest. */
  close(graceMs?: number): Promise<void>
}

function send(res: http.ServerResponse, status: number, payload: unknown, extra?: http.OutgoingHttpHeaders): void {
  const body = JSON.stringify(payload)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...extra })
  res.end(body)
}

const errorResponse = (id: JSONRPCResponse['id'], code: number, message: string, data: Parameters<typeof rpcError>[2]) => ({
  jsonrpc: '2.0' as const,
  id,
  error: rpcError(code, message, data),
})

/** Answers 413 and drops the connection without reading (or buffering) the rest of the body. */
function tooLarge(req: http.IncomingMessage, res: http.ServerResponse): void {
  req.removeAllListeners('data')
  req.pause()
  const msg = `request body exceeds ${MAX_BODY_BYTES} bytes`
  const payload = errorResponse(null, JSONRPCErrorCode.InvalidRequest, msg, { code: 'RESOURCE_EXHAUSTED' })
  const body = JSON.stringify(payload)
  res.writeHead(413, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' })
  res.end(body, () => req.socket.destroy())
}

/** One request object of a single call or a batch; null when nothing is to be answered. */
function receiveOne(rpc: JSONRPCServer, p: unknown): PromiseLike<JSONRPCResponse | null> {
  if (!isValidRequest(p)) return Promise.resolve(errorResponse(idOf(p), JSONRPCErrorCode.InvalidRequest, 'invalid request', { code: 'INVALID_ARGUMENT' }))
  return rpc.receive(p)
}

// The library folds a batch with one answer into a bare object; the spec wants an array,
// so batches are assembled here, one entry at a time through the library.
async function receiveBatch(rpc: JSONRPCServer, batch: unknown[]): Promise<JSONRPCResponse | JSONRPCResponse[] | null> {
  if (batch.length === 0) return errorResponse(null, JSONRPCErrorCode.InvalidRequest, 'invalid request: empty batch', { code: 'INVALID_ARGUMENT' })
  if (batch.length > MAX_BATCH) {
    return errorResponse(null, JSONRPCErrorCode.InvalidRequest, `invalid request: batch of ${batch.length} exceeds ${MAX_BATCH} entries`, {
      code: 'RESOURCE_EXHAUSTED',
    })
  }
  const answers = await Promise.all(batch.map((p) => receiveOne(rpc, p)))
  const out = answers.filter((a): a is JSONRPCResponse => a !== null)
  return out.length > 0 ? out : null
}

async function dispatch(rpc: JSONRPCServer, body: string, res: http.ServerResponse): Promise<void> {
  let payload: unknown
  try {
    payload = JSON.parse(body)
  } catch {
    return send(res, 200, errorResponse(null, JSONRPCErrorCode.ParseError, 'parse error: body is not valid JSON', { code: 'INVALID_ARGUMENT' }))
  }
  const answer = Array.isArray(payload) ? await receiveBatch(rpc, payload) : await receiveOne(rpc, payload)
  if (answer === null) {
    res.writeHead(204)
    res.end()
  } else send(res, 200, answer)
}

function readRpc(rpc: JSONRPCServer, req: http.IncomingMessage, res: http.ServerResponse): void {
  const declared = req.headers['content-length']
  if (declared !== undefined && Number(declared) > MAX_BODY_BYTES) return tooLarge(req, res)
  const chunks: Buffer[] = []
  let size = 0
  req.on('data', (c: Buffer) => {
    size += c.length
    if (size > MAX_BODY_BYTES) return tooLarge(req, res) // chunked body without a length
    chunks.push(c)
  })
  req.on('end', () => {
    if (size > MAX_BODY_BYTES) return
    const body = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8')
    dispatch(rpc, body, res).catch((err: unknown) => {
      log.error('dispatch failed', err)
      if (!res.headersSent) send(res, 500, errorResponse(null, JSONRPCErrorCode.InternalError, 'internal error', { code: 'INTERNAL' }))
      else res.destroy()
    })
  })
}

export async function startHttpServer(opts: HttpNodeOptions): Promise<HttpNode> {
  let closing = false
  const server = http.createServer({ keepAliveTimeout: KEEP_ALIVE_MS, noDelay: true }, (req, res) => {
    req.on('error', (err) => log.debug('request stream failed', err))
    // Node's server.close() leaves busy keep-alive connections open for as long as their
    // client keeps sending; a closing node answers with `connection: close` instead, so
    // each client moves to another node after at most one more call here.
    if (closing) res.shouldKeepAlive = false
    const url = req.url ?? '/'
    if (req.method === 'POST' && url === RPC_PATH) return readRpc(opts.rpc, req, res)
    if (req.method === 'GET' && (url === SUBSCRIBE_PATH || url.startsWith(SUBSCRIBE_PATH + '?'))) return opts.onSubscribe(req, res)
    if (req.method === 'GET' && url === '/health') return send(res, 200, { ok: true })
    const known = url === RPC_PATH || url === SUBSCRIBE_PATH
    send(res, known ? 405 : 404, { error: known ? 'method not allowed' : 'not found' })
  })
  server.headersTimeout = KEEP_ALIVE_MS + 1000
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    log.debug('client error', { code: err.code, message: err.message })
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n')
    else socket.destroy()
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const host = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host.includes(':') ? `[${opts.host}]` : opts.host
  return {
    server,
    address: `http://${host}:${port}`,
    close(graceMs = 5000) {
      closing = true
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs)
        timer.unref()
        server.close(() => {
          clearTimeout(timer)
          resolve()
        })
        server.closeIdleConnections()
      })
    },
  }
}
