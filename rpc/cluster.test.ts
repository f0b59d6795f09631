// The master's worker registry over the wire (register, heartbeat, eviction after 3
// missed beats, deregistration, re-registration), and a client and subscriber served
// through an in-process worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MISSED_BEATS_TO_EVICT } from '../cluster/registry.ts'
import type { ReviewClient, WorkerInfo } from '../core/contract.ts'
import type { TrendingUpdate } from '../core/schemas.ts'
import { waitFor } from '../test/topology.ts'
import driver from './driver.ts'
import { keepAliveAgent, RpcEndpoint } from './http-call.ts'
import { startNode, type RpcNode } from './node.ts'

const HB = 200
let master: RpcNode
let worker: RpcNode
let raw: RpcEndpoint
const agent = keepAliveAgent(4)

const ids = async () => (await master.workers()).map((w) => w.id).sort()

beforeAll(async () => {
  master = await startNode('master', { heartbeatMs: HB, broadcastMs: 150 })
  raw = new RpcEndpoint(master.address, agent)
  worker = await startNode('worker', { master: master.address, heartbeatMs: HB, nodeId: 'w-inproc' })
})
afterAll(async () => {
  await worker?.close()
  await master?.close()
  agent.destroy()
})

describe('rpc worker registry', () => {
  it('lists a started worker with its address and pid', async () => {
    const list = await master.workers()
    expect(list).toEqual([expect.objectContaining({ id: 'w-inproc', address: worker.address, pid: process.pid })])
    // clients ask the same question over the wire
    const wire = (await raw.call('cluster.workers', {})) as WorkerInfo[]
    expect(wire.map((w) => w.address)).toEqual([worker.address])
  })

  it('keeps a heartbeating worker and evicts it after 3 missed beats', async () => {
    await raw.call('cluster.register', { id: 'ghost', address: 'http://127.0.0.1:1' })
    // beating for 2.5 eviction windows keeps it registered
    const until = Date.now() + HB * MISSED_BEATS_TO_EVICT * 2.5
    let lastBeat = 0
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, HB))
      expect(await raw.call('cluster.heartbeat', { id: 'ghost' })).toEqual({ known: true })
      lastBeat = Date.now()
    }
    expect(await ids()).toContain('ghost')
    await new Promise((r) => setTimeout(r, HB))
    expect(await ids()).toContain('ghost') // one missed beat is not enough
    await waitFor('ghost evicted', async () => !(await ids()).includes('ghost'), 10_000, 20)
    const silentFor = Date.now() - lastBeat
    expect(silentFor).toBeGreaterThanOrEqual(HB * MISSED_BEATS_TO_EVICT)
    expect(silentFor).toBeLessThan(HB * (MISSED_BEATS_TO_EVICT + 2)) // sweep period + scheduling slack
    // the real worker kept beating all along
    expect(await ids()).toEqual(['w-inproc'])
    expect(await raw.call('cluster.heartbeat', { id: 'ghost' })).toEqual({ known: false })
  })

  it('rejects malformed registrations with the field named', async () => {
    await expect(raw.call('cluster.register', { id: 'x', address: 'not a url' })).rejects.toMatchObject({ name: 'ValidationError', field: 'address' })
    await expect(raw.call('cluster.heartbeat', {})).rejects.toMatchObject({ name: 'ValidationError', field: 'id' })
  })

  it('a worker the master forgot registers again on its next heartbeat', async () => {
    await raw.call('cluster.deregister', { id: 'w-inproc' })
    expect(await ids()).toEqual([])
    await waitFor('worker back', async () => (await ids()).includes('w-inproc'), HB * 5, 20)
  })

  it('single and worker nodes have no cluster.* methods (so clients call them directly)', async () => {
    const single = await startNode('single', {})
    try {
      for (const address of [single.address, worker.address]) {
        const ep = new RpcEndpoint(address, agent)
        await expect(ep.call('cluster.workers', {})).rejects.toMatchObject({ code: 'UNIMPLEMENTED' })
        await expect(ep.call('cluster.register', { id: 'a', address: 'http://127.0.0.1:1' })).rejects.toMatchObject({ code: 'UNIMPLEMENTED' })
      }
    } finally {
      await single.close()
    }
  })
})

describe('rpc client through a worker', () => {
  let client: ReviewClient
  beforeAll(async () => {
    client = await driver.connect({ server: master.address })
  })
  afterAll(async () => client?.close())

  it('serves every operation, with state kept on the master', async () => {
    const r = await client.submitReview({ productId: 'B0CLUSTER1', reviewerId: 'u', rating: 2, text: 'what a scam' })
    expect(r.id).toBeTruthy()
    expect(await client.moderate('what a scam')).toEqual({ text: 'what a CENSORED', hits: 1 })
    const direct = new RpcEndpoint(master.address, agent)
    expect(await direct.call('productStats', { productId: 'B0CLUSTER1' })).toEqual({ productId: 'B0CLUSTER1', count: 1, meanRating: 2 })
    expect((await client.listReviews('B0CLUSTER1')).map((x) => x.id)).toEqual([r.id])
    // forwarded validation errors keep their field
    await expect(client.submitReview({ productId: 'bad', reviewerId: 'u', rating: 2, text: '' })).rejects.toMatchObject({ field: 'productId' })
  })

  it("relays the master's broadcasts to a worker's subscribers", async () => {
    const viaWorker = await driver.connect({ server: worker.address })
    try {
      const got: TrendingUpdate[] = []
      for await (const u of viaWorker.subscribe()) if (got.push(u) === 2) break
      expect(got[1].seq).toBe(got[0].seq + 1)
      expect(got[1].top.map((t) => t.productId)).toContain('B0CLUSTER1')
    } finally {
      await viaWorker.close()
    }
  })

  it('a client of a master without workers is served by the master, and moves to a worker started later', async () => {
    const lone = await startNode('master', { heartbeatMs: HB })
    const c = await driver.connect({ server: lone.address })
    let late: RpcNode | undefined
    try {
      expect(await c.moderate('fraud')).toEqual({ text: 'CENSORED', hits: 1 })
      late = await startNode('worker', { master: lone.address, heartbeatMs: HB, nodeId: 'w-late' })
      let servedByWorker = 0
      late.httpServer.on('request', () => servedByWorker++)
      await waitFor('calls reaching the late worker', async () => (await c.moderate('x'), servedByWorker > 0), 5000, 50)
    } finally {
      await c.close()
      await late?.close()
      await lone.close()
    }
  })

  it('leaves the registry at once when the worker closes', async () => {
    const w2 = await startNode('worker', { master: master.address, heartbeatMs: HB, nodeId: 'w-second' })
    expect(await ids()).toEqual(['w-inproc', 'w-second'])
    await w2.close()
    expect(await ids()).toEqual(['w-inproc'])
  })
})
