// Master/worker over gRPC: registry, client-side balancing, state forwarded to the master,
// supervised worker processes, and failover when a worker is SIGKILLed mid-load.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Supervisor } from '../cluster/supervisor.ts'
import type { ReviewClient, RunningNode } from '../core/contract.ts'
import type { ReviewInput, TrendingUpdate } from '../core/schemas.ts'
import driver from './driver.ts'
import { waitFor as waitUntil } from '../test/topology.ts'

/** Polls faster than the shared default: heartbeats in these tests are short. */
const waitFor = <T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15_000) => waitUntil(what, probe, timeoutMs, 20)

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const review = (productId: string, rating: number): ReviewInput => ({ productId, reviewerId: 'r', rating, text: 'ok' })

describe('grpc master with in-process workers', () => {
  const HB = 200
  let master: RunningNode
  let alpha: RunningNode
  let beta: RunningNode
  const clients: ReviewClient[] = []
  const connect = async (server: string) => {
    const c = await driver.connect({ server, timeoutMs: 10_000 })
    clients.push(c)
    return c
  }

  beforeAll(async () => {
    master = await driver.serve('master', { port: 0, heartbeatMs: HB, broadcastMs: 100 })
    // Different banned words make visible which node served a moderate call.
    alpha = await driver.serve('worker', { port: 0, master: master.address, heartbeatMs: HB, nodeId: 'alpha', bannedWords: ['alpha'] })
    beta = await driver.serve('worker', { port: 0, master: master.address, heartbeatMs: HB, nodeId: 'beta', bannedWords: ['beta'] })
  })
  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close()))
    await Promise.allSettled([alpha?.close(), beta?.close()])
    await master?.close()
  })

  it('registers workers, and the client spreads moderate calls round-robin over them', async () => {
    expect((await master.workers()).map((w) => [w.id, w.address]).sort()).toEqual([
      ['alpha', alpha.address],
      ['beta', beta.address],
    ])
    const c = await connect(master.address)
    const served = await Promise.all(Array.from({ length: 8 }, () => c.moderate('alpha beta')))
    const texts = served.map((m) => m.text).sort()
    // Never the master (it censors neither word); both workers, evenly.
    expect(texts).toEqual([...Array(4).fill('CENSORED beta'), ...Array(4).fill('alpha CENSORED')].sort())
  })

  it('workers forward state operations to the master, so every node sees the same reviews', async () => {
    const viaMaster = await connect(master.address)
    const viaAlpha = await connect(alpha.address)
    const p = 'B0CLUSTER1'
    for (let i = 1; i <= 4; i++) await viaMaster.submitReview(review(p, i))
    await viaAlpha.submitReview(review(p, 5), { requestId: 'same-id' })
    await viaMaster.submitReview(review(p, 5), { requestId: 'same-id' })
    for (const c of [viaMaster, viaAlpha]) expect(await c.productStats(p)).toEqual({ productId: p, count: 5, meanRating: 3 })
    expect((await viaAlpha.listReviews(p, 2)).map((r) => r.rating)).toEqual([5, 4])
    expect((await viaAlpha.trending(60_000, 1))[0]).toMatchObject({ productId: p })
  })

  it('subscribe works on the master and is relayed by a worker', async () => {
    for (const server of [master.address, beta.address]) {
      const c = await connect(server)
      const got: TrendingUpdate[] = []
      for await (const u of c.subscribe()) {
        got.push(u)
        if (got.length === 2) break
      }
      expect(got[1].seq).toBeGreaterThan(got[0].seq)
      expect(got[1].top.length).toBeGreaterThan(0)
    }
  })

  it('a worker that stops gracefully leaves the registry at once, and calls keep succeeding', async () => {
    const c = await connect(master.address)
    await beta.close()
    expect((await master.workers()).map((w) => w.id)).toEqual(['alpha'])
    const served = await Promise.all(Array.from({ length: 6 }, () => c.moderate('alpha beta')))
    expect(served.every((m) => m.text === 'CENSORED beta')).toBe(true)
  })
})

describe('grpc master supervising worker processes', () => {
  it('spawns opts.workers processes, scales down gracefully, and stops them on close', async () => {
    const master = await driver.serve('master', { port: 0, workers: 2, heartbeatMs: 300 })
    try {
      const listed = await master.workers()
      expect(listed).toHaveLength(2)
      const pids = listed.map((w) => w.pid!)
      expect(pids.every(alive)).toBe(true)
      const c = await driver.connect({ server: master.address })
      expect((await c.moderate('what a scam')).hits).toBe(1)
      await c.close()
      await master.scaleTo!(1)
      expect(await master.workers()).toHaveLength(1)
      expect(pids.filter(alive)).toHaveLength(1)
      await master.close()
      expect(pids.filter(alive)).toEqual([])
    } finally {
      await master.close()
    }
  })
})

describe('grpc failover', () => {
  const HB = 500
  let master: RunningNode
  let supervisor: Supervisor
  let client: ReviewClient

  beforeAll(async () => {
    master = await driver.serve('master', { port: 0, heartbeatMs: HB })
    supervisor = new Supervisor({ middleware: 'grpc', master: master.address, heartbeatMs: HB })
    await supervisor.start(3)
    await waitFor('3 registered workers', async () => (await master.workers()).length === 3)
    client = await driver.connect({ server: master.address, timeoutMs: 15_000 })
  })
  afterAll(async () => {
    await client?.close()
    await supervisor?.stopAll()
    await master?.close()
  })

  it('SIGKILL of a worker mid-load: every call succeeds, no submit is applied twice, the worker is evicted', async () => {
    const p = 'B0FAILOVER'
    const ids: string[] = []
    const failures: unknown[] = []
    let callsAfterKill = 0
    let killedAt = 0
    const stopAt = Date.now() + 3000

    const loop = async (n: number) => {
      for (let i = 0; Date.now() < stopAt; i++) {
        try {
          const r = await client.submitReview(review(p, ((n + i) % 5) + 1))
          ids.push(r.id)
          const m = await client.moderate('this is a scam', { ioMillis: 5 })
          expect(m.hits).toBe(1)
          if (killedAt) callsAfterKill++
        } catch (err) {
          failures.push(err)
        }
      }
    }
    const killer = (async () => {
      await new Promise((r) => setTimeout(r, 1000))
      const victim = supervisor.list()[0]
      killedAt = Date.now()
      await supervisor.kill(victim.id)
      await waitFor(`eviction of ${victim.id}`, async () => !(await master.workers()).some((w) => w.id === victim.id))
      return { victim, evictedAfterMs: Date.now() - killedAt }
    })()
    const [{ victim, evictedAfterMs }] = await Promise.all([killer, ...Array.from({ length: 6 }, (_, n) => loop(n))])

    expect(failures).toEqual([])
    expect(callsAfterKill).toBeGreaterThan(0)
    expect(new Set(ids).size).toBe(ids.length)
    expect((await client.productStats(p)).count).toBe(ids.length)
    // Evicted after 3 missed beats; one registry sweep (HB/4) of slack plus timer lateness.
    expect(evictedAfterMs).toBeLessThanOrEqual(4 * HB)
    const live = await master.workers()
    expect(live).toHaveLength(2)
    expect(live.map((w) => w.address)).not.toContain(victim.address)
  })
})
