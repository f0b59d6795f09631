// Every kind of bad input, sent as raw HTTP to a real node, gets the JSON-RPC 2.0 answer
// the spec (and issue 2) asks for, and the node keeps serving afterwards.
import http from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { RunningNode } from '../core/contract.ts'
import { MAX_TEXT_BYTES } from '../core/schemas.ts'
import type { ReviewBackend } from '../core/service.ts'
import { startNode } from './node.ts'
import { MAX_BATCH, MAX_BODY_BYTES } from './wire.ts'

interface Reply {
  status: number
  text: string
  json: any // eslint-disable-line @typescript-eslint/no-explicit-any
}

let node: RunningNode
let broken: RunningNode

async function post(body: string, to = node.address): Promise<Reply> {
  const r = await fetch(to + '/', { method: 'POST', headers: { 'content-type': 'application/json' }, body })
  const text = await r.text()
  return { status: r.status, text, json: text ? JSON.parse(text) : undefined }
}

const call = (method: string, params?: unknown, id: number | string | null = 1) => post(JSON.stringify({ jsonrpc: '2.0', id, method, params }))
const good = { productId: 'B00000TEST', reviewerId: 'r1', rating: 4, text: 'fine' }

beforeAll(async () => {
  node = await startNode('single', {})
  const failing = async () => {
    throw new Error('disk on fire at /secret/path')
  }
  const backend: ReviewBackend = { submitReview: failing, listReviews: failing, productStats: failing, trending: failing }
  broken = await startNode('single', {}, { backend })
})
afterAll(async () => {
  await node?.close()
  await broken?.close()
})

// After every case: the node still answers a valid call.
afterEach(async () => {
  const r = await call('moderate', { text: 'you idiot' }, 'alive')
  expect(r.json).toEqual({ jsonrpc: '2.0', id: 'alive', result: { text: 'you CENSORED', hits: 1 } })
})

describe('rpc bad input', () => {
  it('answers unparsable JSON with -32700 and id null', async () => {
    for (const body of ['{"jsonrpc":"2.0","method":', 'not json', '']) {
      const r = await post(body)
      expect(r.status).toBe(200)
      expect(r.json.id).toBeNull()
      expect(r.json.error.code).toBe(-32700)
    }
  })

  it('answers requests that are not valid JSON-RPC with -32600', async () => {
    const cases: Array<[unknown, unknown]> = [
      [{ foo: 1 }, null],
      [{ jsonrpc: '1.0', method: 'moderate', id: 7 }, 7],
      [{ jsonrpc: '2.0', method: 5, id: 'm' }, 'm'],
      [{ jsonrpc: '2.0', method: 'moderate', params: 'text', id: 3 }, 3],
      [{ jsonrpc: '2.0', method: 'moderate', id: { nested: true } }, null],
      [null, null],
      ['a string', null],
      [42, null],
    ]
    for (const [req, id] of cases) {
      const r = await post(JSON.stringify(req))
      expect(r.status, JSON.stringify(req)).toBe(200)
      expect(r.json.error.code, JSON.stringify(req)).toBe(-32600)
      expect(r.json.id).toEqual(id)
    }
  })

  it('answers an unknown method with -32601', async () => {
    const r = await call('dropAllTables', {}, 9)
    expect(r.json.id).toBe(9)
    expect(r.json.error.code).toBe(-32601)
    expect(r.json.error.data).toMatchObject({ code: 'UNIMPLEMENTED' })
  })

  it('answers invalid params with -32602 naming the field in the message and in error.data', async () => {
    const cases: Array<[string, unknown, string]> = [
      ['submitReview', { ...good, rating: 0 }, 'rating'],
      ['submitReview', { ...good, rating: 7 }, 'rating'],
      ['submitReview', { ...good, rating: '5' }, 'rating'],
      ['submitReview', { ...good, rating: 3.5 }, 'rating'],
      ['submitReview', { reviewerId: 'r1', rating: 4, text: 'x' }, 'productId'],
      ['submitReview', { ...good, text: 'x'.repeat(MAX_TEXT_BYTES + 1) }, 'text'],
      ['submitReview', { ...good, unexpected: 1 }, 'unexpected'],
      ['moderate', { text: 12 }, 'text'],
      ['moderate', { text: 'ok', cost: { cpuMicros: -1 } }, 'cost.cpuMicros'],
      ['listReviews', { productId: 'B00000TEST', limit: 'ten' }, 'limit'],
      ['productStats', {}, 'productId'],
      ['trending', { k: 0 }, 'k'],
      ['moderate', ['by', 'position'], 'params'],
    ]
    for (const [method, params, field] of cases) {
      const r = await call(method, params, 5)
      const what = `${method} ${JSON.stringify(params).slice(0, 80)}`
      expect(r.json.error?.code, what).toBe(-32602)
      expect(r.json.error.data, what).toMatchObject({ code: 'INVALID_ARGUMENT', field })
      expect(r.json.error.message, what).toContain(field)
    }
  })

  it('answers a handler failure with -32603 and no stack trace or internals', async () => {
    const r = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'productStats', params: { productId: 'B00000TEST' } }), broken.address)
    expect(r.json.error).toEqual({ code: -32603, message: 'internal error', data: { code: 'INTERNAL' } })
    expect(r.text).not.toMatch(/disk on fire|secret|\.ts:\d+|\bat /)
    // the broken node itself keeps serving too
    const ok = await post(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'moderate', params: { text: 'x' } }), broken.address)
    expect(ok.json.result).toEqual({ text: 'x', hits: 0 })
  })

  it('rejects a body over 1 MiB with HTTP 413 without reading it all (declared length)', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'moderate', params: { text: 'x'.repeat(MAX_BODY_BYTES + 10) } })
    const r = await post(big)
    expect(r.status).toBe(413)
    expect(r.json.error.data).toMatchObject({ code: 'RESOURCE_EXHAUSTED' })
  })

  it('rejects a chunked body that grows over 1 MiB with HTTP 413 and stops reading', async () => {
    const { port } = new URL(node.address)
    const result = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume()
        res.on('end', () => resolve({ status: res.statusCode ?? 0, sent }))
      })
      req.on('error', () => {}) // the server cuts the upload off: expected
      const chunk = Buffer.alloc(64 * 1024, 0x20)
      const pump = () => {
        // Would go on for 64 MiB if the server kept reading.
        while (sent < 64 * MAX_BODY_BYTES && !req.destroyed) {
          sent += chunk.length
          if (!req.write(chunk)) return void req.once('drain', pump)
        }
      }
      pump()
      setTimeout(() => reject(new Error('no 413 within 10 s')), 10_000).unref()
    })
    expect(result.status).toBe(413)
    expect(result.sent).toBeLessThan(16 * MAX_BODY_BYTES)
  })

  it('answers a notification with HTTP 204 and no body', async () => {
    const r = await post(JSON.stringify({ jsonrpc: '2.0', method: 'moderate', params: { text: 'x' } }))
    expect(r.status).toBe(204)
    expect(r.text).toBe('')
  })

  describe('batches', () => {
    it('answers an empty batch with a single -32600 error', async () => {
      const r = await post('[]')
      expect(Array.isArray(r.json)).toBe(false)
      expect(r.json.error.code).toBe(-32600)
    })

    it('answers each entry of a mixed batch, skipping notifications, always as an array', async () => {
      const batch = [
        { jsonrpc: '2.0', id: 'a', method: 'moderate', params: { text: 'scam' } },
        { jsonrpc: '2.0', method: 'moderate', params: { text: 'a notification' } },
        { jsonrpc: '2.0', id: 'b', method: 'submitReview', params: { ...good, rating: 9 } },
        { jsonrpc: '2.0', id: 'c', method: 'nope' },
        1,
      ]
      const r = await post(JSON.stringify(batch))
      expect(r.status).toBe(200)
      const byId = new Map<unknown, any>(r.json.map((x: any) => [x.id, x])) // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(r.json).toHaveLength(4)
      expect(byId.get('a').result).toEqual({ text: 'CENSORED', hits: 1 })
      expect(byId.get('b').error).toMatchObject({ code: -32602, data: { field: 'rating' } })
      expect(byId.get('c').error.code).toBe(-32601)
      expect(byId.get(null).error.code).toBe(-32600)

      const one = await post(JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'moderate', params: { text: 'x' } }]))
      expect(one.json).toEqual([{ jsonrpc: '2.0', id: 1, result: { text: 'x', hits: 0 } }])
    })

    it('answers an all-notifications batch with HTTP 204', async () => {
      const r = await post(JSON.stringify([1, 2].map(() => ({ jsonrpc: '2.0', method: 'moderate', params: { text: 'x' } }))))
      expect(r.status).toBe(204)
      expect(r.text).toBe('')
    })

    it(`accepts ${MAX_BATCH} entries and rejects ${MAX_BATCH + 1} with -32600`, async () => {
      const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'moderate', params: { text: 'x' } }))
      const full = await post(JSON.stringify(entries(MAX_BATCH)))
      expect(full.json).toHaveLength(MAX_BATCH)
      const over = await post(JSON.stringify(entries(MAX_BATCH + 1)))
      expect(Array.isArray(over.json)).toBe(false)
      expect(over.json.error.code).toBe(-32600)
      expect(over.json.error.message).toContain(String(MAX_BATCH))
    })
  })

  it('answers other paths and verbs with 404 / 405', async () => {
    expect((await fetch(node.address + '/nope')).status).toBe(404)
    expect((await fetch(node.address + '/')).status).toBe(405)
  })
})
