// Fault test on real processes: one of three workers is SIGKILLed while thousands of
// moderate jobs are in flight. The master's reaper must put the dead worker's processing
// hash back on the queue so that every job is answered, none lost, within bounded time.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Redis } from 'ioredis'
import type { RunningNode } from '../core/contract.ts'
import { Supervisor } from '../cluster/supervisor.ts'
import { uniqueNamespace, waitFor } from '../test/topology.ts'
import driver, { type RedisReviewClient } from './driver.ts'
import { closeRedis, openRedis } from './connection.ts'
import { keysOf, parseAddress } from './keys.ts'
import { fireJobs } from './job-load.ts'

const JOBS = 6000
const IN_FLIGHT_AT_KILL = 5000

function brokerUrl(): string {
  const url = inject('brokers').redis
  if (!url) throw new Error('no redis broker: test/global-setup.ts provided none')
  return url
}

describe('redis worker killed mid-flight', () => {
  let master: RunningNode
  let sup: Supervisor
  let client: RedisReviewClient
  let redis: Redis
  let keys: ReturnType<typeof keysOf>

  beforeAll(async () => {
    master = await driver.serve('master', { broker: brokerUrl(), namespace: uniqueNamespace('rk') })
    keys = keysOf(parseAddress(master.address).namespace)
    redis = await openRedis(brokerUrl(), { name: 'kill-test' })
    // The test's own supervisor, so it can SIGKILL one worker; the master reaps all the same.
    sup = new Supervisor({ middleware: 'redis', master: master.address })
    await sup.start(3)
    await waitFor('3 live workers', async () => (await master.workers()).length === 3, 30_000)
    client = (await driver.connect({ server: master.address, timeoutMs: 60_000 })) as RedisReviewClient
  })
  afterAll(async () => {
    await client?.close()
    await sup?.stopAll()
    await master?.close()
    if (redis) {
      const left = await redis.keys(`${keys.prefix}*`)
      if (left.length) await redis.del(...left)
      await closeRedis(redis)
    }
  })

  it('answers every job once the reaper returns the dead worker\'s jobs', async () => {
    // 250 ms of waiting per job keeps each worker's processing hash full when the kill comes.
    const load = fireJobs(client, JOBS, { cost: { ioMillis: 250 } })
    await waitFor('the first answers', async () => load.ok > 0, 30_000, 5)

    // The victim is the worker holding the most jobs right now.
    const held = await Promise.all(sup.list().map(async (w) => ({ w, n: await redis.hlen(keys.processing(w.id)) })))
    const victim = held.sort((a, b) => b.n - a.n)[0]
    expect(victim.n, 'jobs held by the victim').toBeGreaterThan(0)
    expect(load.inFlight(), 'jobs in flight at the kill').toBeGreaterThanOrEqual(IN_FLIGHT_AT_KILL)
    await sup.kill(victim.w.id)

    await load.done
    expect(load.errors.slice(0, 3)).toEqual([])
    expect({ sent: load.sent, ok: load.ok, failed: load.failed }).toEqual({ sent: JOBS, ok: JOBS, failed: 0 })
    // The reaper took the dead worker's list back (it marks every job it returns) and deregistered it.
    expect(await redis.hlen(keys.redeliveries), 'jobs the reaper returned').toBeGreaterThan(0)
    expect(await redis.exists(keys.processing(victim.w.id))).toBe(0)
    expect(await redis.sismember(keys.workers, victim.w.id)).toBe(0)
    expect(await redis.llen(keys.jobs)).toBe(0)
    expect(await redis.llen(keys.dead)).toBe(0)
    expect((await master.workers()).map((w) => w.id).sort()).toEqual(sup.list().map((w) => w.id).sort())
    // Duplicates are possible in principle (at-least-once) and counted, never delivered twice.
    process.stderr.write(`kill test: killed ${victim.w.id} holding ${victim.n} jobs; duplicates ${client.duplicates}, late ${client.lateReplies}\n`)
  }, 120_000)
})
