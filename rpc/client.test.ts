// The rpc client against real nodes: every server failure arrives as its core/errors.ts
// class, calls share keep-alive connections, and subscriptions end cleanly.
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CancelledError, InternalError, TimeoutError, TooLargeError, UnavailableError, ValidationError } from '../core/errors.ts'
import type { ReviewClient } from '../core/contract.ts'
import type { ReviewBackend } from '../core/service.ts'
import type { TrendingUpdate } from '../core/schemas.ts'
import driver from './driver.ts'
import { keepAliveAgent, RpcEndpoint } from './http-call.ts'
import { startNode, type RpcNode } from './node.ts'
import { MAX_BODY_BYTES } from './wire.ts'

let node: RpcNode
let client: ReviewClient

beforeAll(async () => {
  node = await startNode('single', { broadcastMs: 100 })
  client = await driver.connect({ server: node.address })
})
afterAll(async () => {
  await client?.close()
  await node?.close()
})

async function nodeWith(backend: Partial<ReviewBackend>): Promise<{ node: RpcNode; client: ReviewClient; close(): Promise<void> }> {
  const fail = async () => {
    throw new Error('not in this test')
  }
  const n = await startNode('single', {}, { backend: { submitReview: fail, listReviews: fail, productStats: fail, trending: fail, ...backend } })
  const c = await driver.connect({ server: n.address })
  return { node: n, client: c, close: async () => (await c.close(), await n.close()) }
}

describe('rpc client error mapping', () => {
  it('ValidationError with the field', async () => {
    const err = await client.submitReview({ productId: 'B000000001', reviewerId: 'r', rating: 0, text: '' }).catch((e) => e)
    expect(err).toBeInstanceOf(ValidationError)
    expect(err.field).toBe('rating')
  })

  it('UNIMPLEMENTED for an unknown method', async () => {
    const agent = keepAliveAgent(1)
    const err = await new RpcEndpoint(node.address, agent).call('noSuchOperation', {}).catch((e) => e)
    agent.destroy()
    expect(err).toMatchObject({ name: 'UnknownOperationError', code: 'UNIMPLEMENTED', message: 'unknown operation: noSuchOperation' })
  })

  it('TooLargeError for a body over 1 MiB, and the client keeps working', async () => {
    const err = await client.moderate('x'.repeat(MAX_BODY_BYTES + 1)).catch((e) => e)
    expect(err).toBeInstanceOf(TooLargeError)
    expect(await client.moderate('scam')).toEqual({ text: 'CENSORED', hits: 1 })
  })

  it('InternalError without details for a failing handler', async () => {
    const t = await nodeWith({})
    try {
      const err = await t.client.productStats('B000000001').catch((e) => e)
      expect(err).toBeInstanceOf(InternalError)
      expect(err.message).toBe('internal error')
    } finally {
      await t.close()
    }
  })

  it('UnavailableError when the connection is refused', async () => {
    const gone = await startNode('single', {})
    const address = gone.address
    await gone.close()
    const c = await driver.connect({ server: address })
    try {
      await expect(c.moderate('x')).rejects.toBeInstanceOf(UnavailableError)
    } finally {
      await c.close()
    }
  })

  it('UnavailableError when the connection is reset', async () => {
    const rude = net.createServer((s) => s.on('data', () => s.resetAndDestroy()))
    await new Promise<void>((r) => rude.listen(0, '127.0.0.1', r))
    const c = await driver.connect({ server: `http://127.0.0.1:${(rude.address() as net.AddressInfo).port}` })
    try {
      await expect(c.moderate('x')).rejects.toBeInstanceOf(UnavailableError)
    } finally {
      await c.close()
      rude.close()
    }
  })

  it('TimeoutError at the deadline and CancelledError on abort, and the HTTP request is dropped', async () => {
    const t = await nodeWith({ productStats: () => new Promise(() => {}) })
    try {
      await expect(t.client.productStats('B000000001', { timeoutMs: 150 })).rejects.toBeInstanceOf(TimeoutError)
      const ac = new AbortController()
      setTimeout(() => ac.abort(), 50)
      await expect(t.client.productStats('B000000001', { signal: ac.signal })).rejects.toBeInstanceOf(CancelledError)
      expect(await t.client.moderate('ok')).toEqual({ text: 'ok', hits: 0 })
      const open = await new Promise<number>((r, j) => t.node.httpServer.getConnections((e, n) => (e ? j(e) : r(n))))
      expect(open).toBe(1) // the two abandoned requests' sockets were closed
    } finally {
      await t.close()
    }
  })
})

describe('rpc client connections', () => {
  it('reuses keep-alive connections instead of opening one per call', async () => {
    let opened = 0
    const count = () => opened++
    node.httpServer.on('connection', count)
    const c = await driver.connect({ server: node.address })
    try {
      for (let i = 0; i < 50; i++) await c.moderate(`call ${i}`)
      // connect()'s cluster.workers probe and 50 calls: undici may open a second socket when
      // a call is sent just before the previous one's socket is back in the pool, never more.
      expect(opened).toBeLessThanOrEqual(2)
      await Promise.all(Array.from({ length: 200 }, (_, i) => c.moderate(`parallel ${i}`)))
      expect(opened).toBeLessThanOrEqual(201)
      const afterBurst = opened
      await Promise.all(Array.from({ length: 200 }, (_, i) => c.moderate(`again ${i}`)))
      expect(opened).toBe(afterBurst) // the second burst found the pool warm
    } finally {
      node.httpServer.off('connection', count)
      await c.close()
    }
  })
})

describe('rpc client batching', () => {
  for (const batch of [true, false]) {
    it(`${batch ? 'with' : 'without'} batching: ${batch ? 'few HTTP requests' : 'one HTTP request per call'}, each call keeping its own result or error`, async () => {
      let requests = 0
      const count = () => requests++
      const productId = batch ? 'B0BATCHING' : 'B0NOBATCHX'
      const c = await driver.connect({ server: node.address, batch })
      node.httpServer.on('request', count)
      try {
        const calls = Array.from({ length: 60 }, (_, i) =>
          i % 3 === 0
            ? c.submitReview({ productId, reviewerId: 'r', rating: i % 2 === 0 ? 9 : 4, text: `t${i}` })
            : c.moderate(`scam ${i}`),
        )
        const settled = await Promise.allSettled(calls)
        if (batch) expect(requests).toBeLessThan(10)
        else expect(requests).toBe(60)
        settled.forEach((r, i) => {
          if (i % 3 !== 0) expect(r).toEqual({ status: 'fulfilled', value: { text: `CENSORED ${i}`, hits: 1 } })
          else if (i % 2 === 0) expect(r).toMatchObject({ status: 'rejected', reason: { name: 'ValidationError', field: 'rating' } })
          else expect(r).toMatchObject({ status: 'fulfilled', value: { text: `t${i}`, rating: 4 } })
        })
        expect((await c.productStats(productId)).count).toBe(10)
      } finally {
        node.httpServer.off('request', count)
        await c.close()
      }
    })
  }

  it('splits batches that would grow too large, and fails only the call that is too large', async () => {
    const c = await driver.connect({ server: node.address, batch: true })
    try {
      const text = 'x'.repeat(4000)
      const results = await Promise.all(Array.from({ length: 200 }, () => c.moderate(text)))
      expect(results.every((r) => r.text === text)).toBe(true)
      const [big, small] = await Promise.allSettled([c.moderate('y'.repeat(MAX_BODY_BYTES + 1)), c.moderate('idiot')])
      expect(big).toMatchObject({ status: 'rejected', reason: { name: 'TooLargeError' } })
      expect(small).toEqual({ status: 'fulfilled', value: { text: 'CENSORED', hits: 1 } })
    } finally {
      await c.close()
    }
  })
})

describe('rpc subscribe', () => {
  it('delivers consecutive broadcasts and ends when the signal aborts', async () => {
    const ac = new AbortController()
    const got: TrendingUpdate[] = []
    for await (const u of client.subscribe({ signal: ac.signal })) if (got.push(u) === 3) ac.abort()
    expect(got.map((u) => u.seq - got[0].seq)).toEqual([0, 1, 2])
    expect(Array.isArray(got[0].top)).toBe(true)
  })

  it('ends cleanly when the client closes', async () => {
    const c = await driver.connect({ server: node.address })
    let n = 0
    const reading = (async () => {
      for await (const _ of c.subscribe()) n++
    })()
    await new Promise((r) => setTimeout(r, 250))
    await c.close()
    await reading
    expect(n).toBeGreaterThan(0)
  })

  it('ends cleanly when the node closes, and frees the stream when a reader breaks off', async () => {
    const n = await startNode('single', { broadcastMs: 50 })
    const c = await driver.connect({ server: n.address })
    try {
      for await (const _ of c.subscribe()) break
      await new Promise((r) => setTimeout(r, 50))
      const open = await new Promise<number>((r, j) => n.httpServer.getConnections((e, k) => (e ? j(e) : r(k))))
      expect(open).toBe(1) // only the keep-alive call socket of connect() remains
      let count = 0
      const reading = (async () => {
        for await (const _ of c.subscribe()) if (++count === 1) void n.close()
      })()
      await reading
      expect(count).toBeGreaterThanOrEqual(1)
    } finally {
      await c.close()
      await n.close()
    }
  })
})

describe('rpc client close', () => {
  it('ends a call still in flight through a master at once instead of failing over until its deadline', async () => {
    const master = await startNode('master', { heartbeatMs: 200 })
    const c = await driver.connect({ server: master.address, timeoutMs: 20_000 })
    try {
      const inFlight = c.moderate('slow', { cpuMicros: 0, ioMillis: 1500 }).catch((e: unknown) => e)
      await new Promise((r) => setTimeout(r, 100))
      const started = Date.now()
      await c.close()
      const outcome = await inFlight
      // The slow call itself would take 1.4 s more; failing over would take until 20 s.
      expect(Date.now() - started).toBeLessThan(5000)
      expect(outcome).toBeInstanceOf(CancelledError)
    } finally {
      await c.close()
      await master.close()
    }
  })
})
