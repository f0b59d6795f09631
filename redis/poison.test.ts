// Poison messages on a real Redis: garbage on the job queue or the request list is buried
// in `<ns>:dead` with its reason and the node keeps serving; a job whose workers keep
// dying is buried after MAX_REDELIVERIES instead of cycling forever.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Redis } from 'ioredis'
import type { ReviewClient, RunningNode } from '../core/contract.ts'
import { ValidationError } from '../core/errors.ts'
import { uniqueNamespace, waitFor } from '../test/topology.ts'
import driver from './driver.ts'
import { closeRedis, openRedis } from './connection.ts'
import { keysOf } from './keys.ts'
import { MAX_REDELIVERIES, reapOnce } from './reaper.ts'
import { RETURN_ALL, runScript, TAKE_JOBS } from './scripts.ts'
import { DEAD_LIST_CAP } from './wire.ts'

function brokerUrl(): string {
  const url = inject('brokers').redis
  if (!url) throw new Error('no redis broker: test/global-setup.ts provided none')
  return url
}

interface DeadEntry {
  raw: string
  reason: string
  at: number
}

async function deadEntries(redis: Redis, key: string): Promise<DeadEntry[]> {
  return (await redis.lrange(key, 0, -1)).map((s) => JSON.parse(s) as DeadEntry)
}

describe('redis poison messages', () => {
  let node: RunningNode
  let client: ReviewClient
  let redis: Redis
  let keys: ReturnType<typeof keysOf>

  beforeAll(async () => {
    const namespace = uniqueNamespace('rp')
    keys = keysOf(namespace)
    node = await driver.serve('single', { broker: brokerUrl(), namespace })
    client = await driver.connect({ server: node.address, timeoutMs: 15_000 })
    redis = await openRedis(brokerUrl(), { name: 'poison-test' })
  })
  afterAll(async () => {
    await client?.close()
    await node?.close()
    if (redis) {
      const left = await redis.keys(`${keys.prefix}*`)
      if (left.length) await redis.del(...left)
      await closeRedis(redis)
    }
  })

  it('buries undecodable and invalid jobs and requests with a reason, then serves the next valid ones', async () => {
    const garbage = [
      { list: keys.jobs, raw: '{not json at all', reason: 'invalid JSON' },
      { list: keys.jobs, raw: JSON.stringify({ id: 'x1', op: 'moderate', params: {}, deadline: Date.now() + 10_000 }), reason: 'replyTo' },
      { list: keys.requests, raw: '\u0000\u0001 binary junk', reason: 'invalid JSON' },
      { list: keys.requests, raw: JSON.stringify([1, 2, 3]), reason: 'invalid envelope' },
    ]
    for (const g of garbage) await redis.lpush(g.list, g.raw)
    // The valid calls queue behind the garbage on the same lists.
    expect(await client.moderate('you idiot')).toEqual({ text: 'you CENSORED', hits: 1 })
    expect((await client.productStats('B000000042')).count).toBe(0)

    const dead = await waitFor('4 dead entries', async () => {
      const d = await deadEntries(redis, keys.dead)
      return d.length >= 4 && d
    }, 10_000)
    expect(dead).toHaveLength(4)
    for (const g of garbage) {
      const e = dead.find((d) => d.raw === g.raw)
      expect(e, `dead entry for ${g.raw}`).toBeDefined()
      expect(e!.reason).toContain(g.reason)
      expect(e!.at).toBeGreaterThan(0)
    }
    // Nothing is left behind in any queue or processing hash.
    expect(await redis.llen(keys.jobs)).toBe(0)
    expect(await redis.llen(keys.requests)).toBe(0)
    const processing = await redis.keys(`${keys.prefix}processing:*`)
    for (const p of processing) expect(await redis.hlen(p), p).toBe(0)
  })

  it('answers a well-formed job with invalid params by a ValidationError naming the field', async () => {
    const err = await client.moderate('x'.repeat(5000)).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ValidationError)
    expect((err as ValidationError).field).toBe('text')
    expect((await client.moderate('still fine')).hits).toBe(0)
  })

  it('buries a job after its worker died more than MAX_REDELIVERIES times', async () => {
    // A queue nobody consumes, so the job stays where this test puts it.
    const k = keysOf(uniqueNamespace('rq'))
    const raw = JSON.stringify({ id: 'crasher', op: 'moderate', params: { text: 'boom' }, replyTo: 'nobody', deadline: Date.now() + 60_000 })
    try {
      await redis.lpush(k.jobs, raw)
      for (let round = 1; round <= MAX_REDELIVERIES + 1; round++) {
        // A worker takes the job and dies: registered, job in its processing hash, no heartbeat.
        const worker = `ghost${round}`
        expect(await runScript(redis, TAKE_JOBS, [k.jobs, k.processing(worker)], [1, 1]), `round ${round}`).toEqual([raw])
        await redis.sadd(k.workers, worker)
        const [r] = await reapOnce(redis, k)
        expect(r).toEqual({ workerId: worker, returned: round <= MAX_REDELIVERIES ? 1 : 0, buried: round <= MAX_REDELIVERIES ? 0 : 1 })
      }
      expect(await redis.llen(k.jobs)).toBe(0)
      const [d] = await deadEntries(redis, k.dead)
      expect(d.raw).toBe(raw)
      expect(d.reason).toContain(`redelivered ${MAX_REDELIVERIES + 1} times`)
      // A worker that restarts under the same id (a fixed --node-id) returns what its dead
      // predecessor held, counted the same way: the job does not crash it forever either.
      await redis.del(k.redeliveries, k.dead)
      await redis.lpush(k.jobs, raw)
      const args = (inc: number) => [inc, MAX_REDELIVERIES, Date.now(), DEAD_LIST_CAP, 60_000]
      for (let round = 1; round <= MAX_REDELIVERIES + 1; round++) {
        expect(await runScript(redis, TAKE_JOBS, [k.jobs, k.processing('fixed')], [1, round]), `restart ${round}`).toEqual([raw])
        const expected = round <= MAX_REDELIVERIES ? [1, 0] : [0, 1]
        expect(await runScript(redis, RETURN_ALL, [k.processing('fixed'), k.jobs, k.redeliveries, k.dead], args(1))).toEqual(expected)
      }
      expect(await redis.llen(k.dead)).toBe(1)
      // A graceful return is no failure: nothing is counted.
      await redis.del(k.redeliveries)
      await redis.lpush(k.jobs, raw)
      await runScript(redis, TAKE_JOBS, [k.jobs, k.processing('fixed')], [1, 100])
      expect(await runScript(redis, RETURN_ALL, [k.processing('fixed'), k.jobs, k.redeliveries, k.dead], args(0))).toEqual([1, 0])
      expect(await redis.hvals(k.redeliveries)).toEqual(['0'])
      // A live worker is never reaped.
      await redis.set(k.heartbeat('alive'), '{}', 'PX', 10_000)
      await redis.sadd(k.workers, 'alive')
      await redis.hset(k.processing('alive'), '1', 'held')
      expect(await reapOnce(redis, k)).toEqual([])
      expect(await redis.hlen(k.processing('alive'))).toBe(1)
    } finally {
      const left = await redis.keys(`${k.prefix}*`)
      if (left.length) await redis.del(...left)
    }
  })
})
