// Worker faults on a real broker with real worker processes: a SIGKILLed worker's unacked
// jobs return to the queue and are served by the others (nothing lost, duplicates
// counted); a graceful scale-down finishes or returns in-flight jobs (nothing lost).
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { Supervisor } from '../cluster/supervisor.ts'
import { names } from './address.ts'
import type { RabbitClient } from './client.ts'
import driver from './driver.ts'
import { amqpUrl, cleanUp, rawConnection, testNamespace } from './test-support.ts'

const url = amqpUrl()

/** Live tally of a run; `afterMark` counts answers received once `marked` was set. */
class Tally {
  ok = 0
  failed = 0
  wrong = 0
  afterMark = 0
  marked = false
  get answered(): number {
    return this.ok + this.failed + this.wrong
  }
}

/** Runs `total` moderate jobs with `concurrency` callers, each taking `ioMillis` on a worker. */
async function runJobs(client: RabbitClient, t: Tally, total: number, concurrency: number, ioMillis: number): Promise<void> {
  let next = 0
  const caller = async () => {
    while (next < total) {
      const i = next++
      try {
        const r = await client.moderate(`job ${i} is a scam`, { ioMillis })
        if (r.text === `job ${i} is a CENSORED` && r.hits === 1) t.ok++
        else t.wrong++
        if (t.marked) t.afterMark++
      } catch (err) {
        t.failed++
        process.stderr.write(`job ${i} failed: ${String(err)}\n`)
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, caller))
}

describe('rabbitmq workers', () => {
  let cleanup: (() => Promise<void>) | undefined
  afterEach(async () => {
    await cleanup?.()
    cleanup = undefined
  })

  it('loses no job when one of 3 workers is SIGKILLed with 5000+ jobs in flight', { timeout: 180_000 }, async () => {
    const ns = testNamespace('kill')
    // The test drives the supervisor itself, so it can SIGKILL a worker.
    const master = await driver.serve('master', { broker: url, namespace: ns })
    const sup = new Supervisor({ middleware: 'rabbitmq', master: master.address, broker: url, namespace: ns })
    const raw = await rawConnection(url)
    const client = (await driver.connect({ server: master.address, timeoutMs: 150_000 })) as RabbitClient
    cleanup = async () => {
      await client.close()
      await sup.stopAll()
      await master.close()
      await raw.close()
      await cleanUp(url, ns)
    }
    const workers = await sup.start(3)

    const TOTAL = 6000
    const t = new Tally()
    // Every job is sent at once and takes 500 ms on a worker (3 x 100 at a time), so a
    // backlog builds in the queue and each worker holds a full prefetch window of unacked
    // jobs when one is killed.
    const run = runJobs(client, t, TOTAL, TOTAL, 500)
    const ch = await raw.createChannel()
    let queued = 0
    const until = Date.now() + 60_000
    while ((queued = (await ch.checkQueue(names(ns).jobs)).messageCount) < 4700 && t.answered < TOTAL && Date.now() < until) await sleep(20)
    const inFlightAtKill = TOTAL - t.answered
    await sup.kill(workers[0].id)
    await run

    const c = client
    process.stderr.write(`kill test: ${inFlightAtKill} in flight, ${queued} queued at kill; redelivered ${c.redelivered}, duplicates ${c.duplicates}, late ${c.lateReplies}\n`)
    expect(queued).toBeGreaterThanOrEqual(4700)
    expect(inFlightAtKill).toBeGreaterThanOrEqual(5000)
    expect({ ok: t.ok, failed: t.failed, wrong: t.wrong }).toEqual({ ok: TOTAL, failed: 0, wrong: 0 })
    // The killed worker held unacked jobs; the survivors served them.
    expect(c.redelivered).toBeGreaterThan(0)
    expect(c.lateReplies).toBe(0)
    // Nothing restarts silently: two workers are left.
    expect(sup.list().map((w) => w.id).sort()).toEqual([workers[1].id, workers[2].id].sort())
  })

  it('loses no job when scaled down from 3 to 1 worker while jobs flow', { timeout: 180_000 }, async () => {
    const ns = testNamespace('scale')
    const master = await driver.serve('master', { broker: url, namespace: ns, workers: 3 })
    const client = (await driver.connect({ server: master.address, timeoutMs: 120_000 })) as RabbitClient
    cleanup = async () => {
      await client.close()
      await master.close()
      await cleanUp(url, ns)
    }
    expect(await master.workers()).toHaveLength(3)

    const TOTAL = 6000
    const t = new Tally()
    // 300 callers, 10 ms per job: every worker has jobs in hand when it is told to stop.
    const run = runJobs(client, t, TOTAL, 300, 10)
    while (t.answered < 1000) await sleep(10)
    await master.scaleTo!(1)
    t.marked = true
    await run

    process.stderr.write(`scale test: ${t.afterMark} jobs answered after the scale-down, duplicates ${client.duplicates}\n`)
    expect({ ok: t.ok, failed: t.failed, wrong: t.wrong }).toEqual({ ok: TOTAL, failed: 0, wrong: 0 })
    expect(t.afterMark, 'jobs still flowed through the remaining worker').toBeGreaterThan(0)
    expect(await master.workers()).toHaveLength(1)
    // Graceful: the stopped workers answered and acked what they held, so nothing was redelivered.
    expect(client.redelivered).toBe(0)
    expect(client.duplicates).toBe(0)
    expect(client.lateReplies).toBe(0)
  })
})
