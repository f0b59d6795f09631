import http from 'node:http'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it, onTestFinished } from 'vitest'
import type { TrendingUpdate } from '../core/schemas.ts'
import { relaySubscribe, SubscriberHub } from './sse.ts'
import { SUBSCRIBE_PATH } from './wire.ts'

const servers: http.Server[] = []
const sockets: net.Socket[] = []
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy()
  for (const s of servers.splice(0)) {
    s.closeAllConnections()
    await new Promise((r) => s.close(r))
  }
})

async function listen(onRequest: http.RequestListener): Promise<string> {
  const s = http.createServer(onRequest)
  servers.push(s)
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`
}

/** A subscriber that sends GET /subscribe and then never reads. */
function stalledSubscriber(base: string): net.Socket {
  const { hostname, port } = new URL(base)
  const sock = net.connect(Number(port), hostname)
  sock.on('connect', () => {
    sock.write(`GET ${SUBSCRIBE_PATH} HTTP/1.1\r\nHost: x\r\n\r\n`)
    sock.pause()
  })
  sock.on('error', () => {})
  sockets.push(sock)
  return sock
}

/** The server side of the next subscription: `opened` when its request arrives, `closed` when its response stream closes. */
function nextStream(): { onRequest(res: http.ServerResponse): void; opened: Promise<void>; closed: Promise<void> } {
  let opened!: () => void
  let closedNow!: () => void
  const o = new Promise<void>((r) => (opened = r))
  const closed = new Promise<void>((r) => (closedNow = r))
  return {
    onRequest(res) {
      res.on('close', closedNow)
      opened()
    },
    opened: o,
    closed,
  }
}

const bigUpdate = (seq: number): TrendingUpdate => ({
  seq,
  at: Date.now(),
  top: Array.from({ length: 20 }, (_, i) => ({ productId: `P${i}`.padEnd(40, 'x'), count: seq, meanRating: 4.5 })),
})

/** Publishes until `done` settles (bounded: at most 50k updates, ~100 MB). */
async function flood(hub: SubscriberHub, done: Promise<void>): Promise<number> {
  let stop = false
  void done.then(() => (stop = true))
  let seq = 0
  while (!stop && seq < 50_000) {
    // A few frames per turn, so a reader that keeps reading (a relaying worker) keeps up.
    for (let i = 0; i < 10; i++) hub.publish(bigUpdate(seq++))
    await new Promise((r) => setImmediate(r))
  }
  return seq
}

describe('trending streams over SSE', () => {
  it('the owner cuts off a subscriber that stopped reading instead of buffering for it', async () => {
    const hub = new SubscriberHub()
    const stream = nextStream()
    const base = await listen((req, res) => (stream.onRequest(res), hub.attach(res)))
    stalledSubscriber(base)
    await stream.opened
    const sent = await flood(hub, stream.closed)
    expect(sent).toBeLessThan(50_000)
  })

  it('a worker relaying its master cuts off a subscriber that stopped reading', async () => {
    const masterHub = new SubscriberHub()
    const upstream = nextStream()
    const master = await listen((req, res) => (upstream.onRequest(res), masterHub.attach(res)))
    const agent = new http.Agent({ keepAlive: true })
    onTestFinished(() => agent.destroy())
    const workerHub = new SubscriberHub()
    const stream = nextStream()
    const worker = await listen((req, res) => (stream.onRequest(res), relaySubscribe(master, agent, workerHub, req, res)))
    stalledSubscriber(worker)
    await Promise.all([stream.opened, upstream.opened])
    const order: string[] = []
    void upstream.closed.then(() => order.push('master'))
    const sent = await flood(masterHub, stream.closed.then(() => void order.push('worker')))
    expect(sent).toBeLessThan(50_000)
    // The worker dropped the subscriber and then its upstream; the master never had to.
    await upstream.closed
    expect(order).toEqual(['worker', 'master'])
  })
})
