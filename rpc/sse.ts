// Broadcasts over Server-Sent Events (GET /subscribe): the node that owns the store fans
// each trending update out to its open streams; a worker relays its master's stream; a
// client reads a stream as an AsyncIterable.
import http from 'node:http'
import { Channel } from '../core/channel.ts'
import { UnavailableError } from '../core/errors.ts'
import { createLogger } from '../core/log.ts'
import type { TrendingUpdate } from '../core/schemas.ts'
import { transportError } from './http-call.ts'
import { SUBSCRIBE_PATH } from './wire.ts'

const log = createLogger('rpc-sse')
/** A subscriber this far behind (bytes queued) is cut off rather than buffered without bound. */
const MAX_BACKLOG_BYTES = 1024 * 1024

export class SubscriberHub {
  private readonly subs = new Set<http.ServerResponse>()

  /** Opens the event stream on `res` and keeps it until the subscriber or the node closes. */
  attach(res: http.ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
    res.write(': subscribed\n\n')
    this.subs.add(res)
    res.on('close', () => this.subs.delete(res))
  }

  publish(u: TrendingUpdate): void {
    const frame = `data: ${JSON.stringify(u)}\n\n`
    for (const res of this.subs) if (!writeOrCutOff(res, frame)) this.subs.delete(res)
  }

  /** Ends every stream cleanly (subscribers see the end, not an error). */
  close(): void {
    for (const res of this.subs) res.end()
    this.subs.clear()
  }
}

/** Writes to a subscriber's stream, or cuts the subscriber off when it has stopped reading. */
function writeOrCutOff(res: http.ServerResponse, data: string | Buffer): boolean {
  if (res.writableLength > MAX_BACKLOG_BYTES) {
    log.warn('cutting off a subscriber that stopped reading')
    res.destroy()
    return false
  }
  res.write(data)
  return true
}

/** A worker's GET /subscribe: the master's stream, passed through as it arrives. */
export function relaySubscribe(master: string, agent: http.Agent, hub: SubscriberHub, req: http.IncomingMessage, res: http.ServerResponse): void {
  const up = http.get(master + SUBSCRIBE_PATH, { agent }, (upRes) => {
    if (upRes.statusCode !== 200) {
      upRes.resume()
      res.writeHead(502).end()
      return
    }
    hub.attach(res)
    // The same cut-off as the hub's: the master keeps sending, so a worker would buffer
    // without bound for a subscriber that stopped reading.
    upRes.on('data', (chunk: Buffer) => {
      if (!writeOrCutOff(res, chunk)) up.destroy()
    })
    upRes.on('end', () => res.end())
    upRes.on('error', () => res.destroy())
  })
  up.on('error', (err) => {
    log.warn('relay from master failed', err)
    if (!res.headersSent) res.writeHead(502).end()
    else res.destroy()
  })
  req.on('close', () => up.destroy())
}

/** Reads `<server>/subscribe` until the signal aborts (clean end) or the stream breaks (UnavailableError). */
export function readSubscription(server: string, agent: http.Agent, signal: AbortSignal): AsyncIterable<TrendingUpdate> {
  const ch = new Channel<TrendingUpdate>()
  if (signal.aborted) {
    ch.end()
    return ch
  }
  const fail = (err: unknown) => ch.end(signal.aborted ? undefined : err)
  const req = http.get(server + SUBSCRIBE_PATH, { agent }, (res) => {
    if (res.statusCode !== 200) {
      res.resume()
      return fail(new UnavailableError(`subscribe to ${server} failed: HTTP ${res.statusCode}`))
    }
    res.setEncoding('utf8')
    let buf = ''
    res.on('data', (text: string) => {
      buf += text
      for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
        const event = buf.slice(0, i)
        buf = buf.slice(i + 2)
        const data = event
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).trimStart())
          .join('\n')
        if (!data) continue // a comment line
        try {
          ch.push(JSON.parse(data) as TrendingUpdate)
        } catch (err) {
          log.warn('dropping an unreadable broadcast', err)
        }
      }
    })
    res.on('end', () => ch.end())
    res.on('error', (err) => fail(transportError(err, server)))
  })
  req.on('error', (err) => fail(transportError(err, server)))
  const onAbort = () => {
    req.destroy()
    ch.end()
  }
  signal.addEventListener('abort', onAbort, { once: true })
  // A reader that stops early (break) must also close the HTTP stream.
  ch.whenReaderLeaves(() => {
    signal.removeEventListener('abort', onAbort)
    req.destroy()
  })
  return ch
}
