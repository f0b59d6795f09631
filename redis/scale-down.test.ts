// Graceful shrink on real processes: scaleTo(1) from 3 while jobs flow. The stopped
// workers finish (or return) what they hold before exiting, so nothing is lost and
// nothing needs the reaper.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Redis } from 'ioredis'
import type { RunningNode } from '../core/contract.ts'
import { uniqueNamespace, waitFor } from '../test/topology.ts'
import driver, { type RedisReviewClient } from './driver.ts'
import { closeRedis, openRedis } from './connection.ts'
import { keysOf, parseAddress } from './keys.ts'
import { fireJobs } from './job-load.ts'

const JOBS = 6000

function brokerUrl(): string {
  const url = inject('brokers').redis
  if (!url) throw new Error('no redis broker: test/global-setup.ts provided none')
  return url
}

describe('redis master scaling down', () => {
  let master: RunningNode
  let client: RedisReviewClient
  let redis: Redis
  let keys: ReturnType<typeof keysOf>

  beforeAll(async () => {
    master = await driver.serve('master', { broker: brokerUrl(), namespace: uniqueNamespace('rs'), workers: 3 })
    keys = keysOf(parseAddress(master.address).namespace)
    redis = await openRedis(brokerUrl(), { name: 'scale-test' })
    await waitFor('3 live workers', async () => (await master.workers()).length === 3, 30_000)
    client = (await driver.connect({ server: master.address, timeoutMs: 60_000 })) as RedisReviewClient
  })
  afterAll(async () => {
    await client?.close()
    await master?.close()
    if (redis) {
      const left = await redis.keys(`${keys.prefix}*`)
      if (left.length) await redis.del(...left)
      await closeRedis(redis)
    }
  })

  it('loses no job when two of three workers stop while jobs flow', async () => {
    const before = (await master.workers()).map((w) => w.id)
    // A steady flow of 400 jobs in flight, each waiting 100 ms: the workers hold jobs when told
    // to stop, and the flow outlasts the scale-down.
    const load = fireJobs(client, JOBS, { window: 400, cost: { ioMillis: 100 } })
    await waitFor('the flow to start', async () => load.ok >= 500, 30_000, 5)
    const held = await Promise.all(before.map((id) => redis.hlen(keys.processing(id))))
    expect(held.reduce((a, b) => a + b, 0), 'jobs held when scaling down').toBeGreaterThan(0)

    await master.scaleTo!(1)
    const after = await master.workers()
    expect(after).toHaveLength(1)
    expect(load.sent, 'jobs were still flowing after the scale-down').toBeLessThan(JOBS)

    await load.done
    expect(load.errors.slice(0, 3)).toEqual([])
    expect({ sent: load.sent, ok: load.ok, failed: load.failed }).toEqual({ sent: JOBS, ok: JOBS, failed: 0 })
    // The stopped workers left nothing behind and deregistered themselves.
    for (const id of before.filter((id) => id !== after[0].id)) {
      expect(await redis.exists(keys.processing(id), keys.heartbeat(id)), id).toBe(0)
      expect(await redis.sismember(keys.workers, id), id).toBe(0)
    }
    expect(await redis.llen(keys.jobs)).toBe(0)
    expect(await redis.llen(keys.dead)).toBe(0)
    expect(client.duplicates).toBe(0)
    expect(client.lateReplies).toBe(0)
  }, 120_000)
})
