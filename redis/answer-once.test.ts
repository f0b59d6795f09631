// The answer-once guard of the work queue, driven step by step on a real Redis: a job the
// reaper returned can be finished by two workers (the "dead" one was only stalled), and
// exactly one answer must reach the client. Jobs never returned pay for no done key.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Redis } from 'ioredis'
import { uniqueNamespace } from '../test/topology.ts'
import { closeRedis, openRedis } from './connection.ts'
import { completeJobs, type Completion } from './job-worker.ts'
import { keysOf } from './keys.ts'
import { reapOnce } from './reaper.ts'
import { runScript, TAKE_JOBS } from './scripts.ts'

function brokerUrl(): string {
  const url = inject('brokers').redis
  if (!url) throw new Error('no redis broker: test/global-setup.ts provided none')
  return url
}

/** A job, and its completion by a worker that holds it under processing-hash field `field`. */
function job(id: string): { raw: string; done: (reply: string, field: string) => Completion } {
  const raw = JSON.stringify({ id, op: 'moderate', params: { text: id }, replyTo: 'client1', deadline: Date.now() + 60_000 })
  return { raw, done: (reply, field) => ({ field, jobId: id, replyTo: 'client1', reply: Buffer.from(reply), doneTtlMs: 60_000 }) }
}

describe('redis answer-once', () => {
  let redis: Redis
  const k = keysOf(uniqueNamespace('ro'))

  beforeAll(async () => {
    redis = await openRedis(brokerUrl(), { name: 'answer-once-test' })
  })
  afterAll(async () => {
    if (!redis) return
    const left = await redis.keys(`${k.prefix}*`)
    if (left.length) await redis.del(...left)
    await closeRedis(redis)
  })

  it('answers a job finished by a stalled worker and by the one it was redelivered to exactly once', async () => {
    const plain = job('plain')
    const twice = job('twice')
    await redis.lpush(k.jobs, plain.raw, twice.raw)
    // Worker A takes both (fields 1 and 2, oldest first); its heartbeat lapses (it stalls),
    // and the reaper returns its jobs, the oldest nearest the consuming end.
    expect(await runScript(redis, TAKE_JOBS, [k.jobs, k.processing('A')], [10, 1])).toEqual([plain.raw, twice.raw])
    expect(await redis.hgetall(k.processing('A'))).toEqual({ 1: plain.raw, 2: twice.raw })
    await redis.sadd(k.workers, 'A')
    expect(await reapOnce(redis, k)).toEqual([{ workerId: 'A', returned: 2, buried: 0 }])
    expect(await redis.lrange(k.jobs, 0, -1)).toEqual([twice.raw, plain.raw])
    expect(await redis.exists(k.processing('A'))).toBe(0)
    // Worker B takes them again; B finishes `twice`, then the stalled A finishes it too
    // (gone from A's hash: it counts as put back).
    expect(await runScript(redis, TAKE_JOBS, [k.jobs, k.processing('B')], [10, 7])).toEqual([plain.raw, twice.raw])
    expect(await completeJobs(redis, k, k.processing('B'), [twice.done('"from B"', '8')])).toBe(1)
    expect(await completeJobs(redis, k, k.processing('A'), [twice.done('"from A"', '2')])).toBe(0)
    expect(await redis.lrange(k.reply('client1'), 0, -1)).toEqual(['"from B"'])
    expect(await redis.pttl(k.reply('client1'))).toBeGreaterThan(0) // a dead client's replies expire
    expect(await redis.hgetall(k.processing('B'))).toEqual({ 7: plain.raw })
  })

  it('answers a job that was never redelivered without a done key, grouping replies per client', async () => {
    const a = job('a1')
    const b = job('b1')
    await redis.hset(k.processing('C'), { 1: a.raw, 2: b.raw })
    const before = (await redis.keys(`${k.prefix}done:*`)).length
    expect(await completeJobs(redis, k, k.processing('C'), [a.done('"ra"', '1'), b.done('"rb"', '2'), job('x').done('', 'gone')])).toBe(2)
    expect((await redis.keys(`${k.prefix}done:*`)).length).toBe(before)
    expect(await redis.lrange(k.reply('client1'), 0, 1)).toEqual(['"rb"', '"ra"'])
    expect(await redis.exists(k.processing('C'))).toBe(0)
  })
  it('takes each job once when the same take runs twice, and leaves the queue alone when it cannot store them', async () => {
    const jobs = ['t1', 't2', 't3'].map(job)
    await redis.lpush(k.jobs, ...jobs.map((j) => j.raw))
    // The same command twice (ioredis resends one whose reply a dropped connection lost):
    // the second run hands back the same jobs rather than taking more over their fields.
    const taken = await runScript(redis, TAKE_JOBS, [k.jobs, k.processing('D')], [2, 1])
    expect(taken).toEqual([jobs[0].raw, jobs[1].raw])
    expect(await runScript(redis, TAKE_JOBS, [k.jobs, k.processing('D')], [2, 1])).toEqual(taken)
    expect(await redis.hgetall(k.processing('D'))).toEqual({ 1: jobs[0].raw, 2: jobs[1].raw })
    expect(await redis.lrange(k.jobs, 0, -1)).toEqual([jobs[2].raw])
    // A processing key of the wrong type: the take fails and the job stays queued.
    await redis.set(k.processing('E'), 'not a hash')
    await expect(runScript(redis, TAKE_JOBS, [k.jobs, k.processing('E')], [10, 1])).rejects.toThrow(/WRONGTYPE/)
    expect(await redis.lrange(k.jobs, 0, -1)).toEqual([jobs[2].raw])
  })
})
