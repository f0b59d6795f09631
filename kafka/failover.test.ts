// A worker dies (SIGKILL, no goodbye) while thousands of moderate jobs are in flight. Its
// partitions go to the surviving workers once the group notices (session timeout), they
// resume from the last committed offsets, and every job's result still arrives: none lost,
// the few answered twice dropped by the client and counted.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Moderated } from '../core/schemas.ts'
import { uniqueNamespace, waitFor } from '../test/topology.ts'
import type { KafkaReviewClient } from './client.ts'
import driver from './driver.ts'
import { deleteNamespace } from './namespace.ts'
import type { KafkaNode } from './node.ts'

const JOBS = 8000
const KILL_AFTER = 500 // results in hand before the kill, so the victim is surely busy
const BOUND_MS = 90_000

describe('kafka worker failover', () => {
  let node: KafkaNode
  let client: KafkaReviewClient
  const broker = inject('brokers').kafka
  const ns = uniqueNamespace('kfo')

  beforeAll(async () => {
    expect(broker, 'no Kafka broker from global setup').toBeTruthy()
    node = (await driver.serve('master', { broker, namespace: ns, workers: 3, broadcastMs: 2000 })) as KafkaNode
    await waitFor('3 kafka workers', async () => (await node.workers()).length >= 3, 60_000)
    client = (await driver.connect({ server: node.address, timeoutMs: BOUND_MS })) as KafkaReviewClient
  })

  afterAll(async () => {
    await client?.close()
    await node?.close()
    await deleteNamespace(broker, ns)
  })

  it(`loses none of ${JOBS} in-flight jobs when one of 3 workers is SIGKILLed`, { timeout: BOUND_MS + 30_000 }, async () => {
    const started = Date.now()
    let answered = 0
    // ioMillis keeps jobs in flight long enough for the kill to land mid-stream.
    const calls = Array.from({ length: JOBS }, (_, i) =>
      client.moderate(`job ${i} is a scam`, { ioMillis: 100 }).then((m: Moderated) => {
        answered++
        return m
      }),
    )
    const settled = Promise.allSettled(calls)

    await waitFor(`${KILL_AFTER} results`, async () => answered >= KILL_AFTER, 60_000, 20)
    const victim = (await node.workers())[0]!
    const inFlight = JOBS - answered
    expect(inFlight).toBeGreaterThanOrEqual(5000)
    await node.supervisor!.kill(victim.id)
    console.info(`killed ${victim.id} (pid ${victim.pid}) with ${inFlight} jobs in flight after ${Date.now() - started} ms`)
    expect((await node.workers()).map((w) => w.id)).not.toContain(victim.id)

    let timer: NodeJS.Timeout | undefined
    const results = await Promise.race([
      settled,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`jobs still unanswered after ${BOUND_MS} ms: ${JOBS - answered}`)), BOUND_MS))),
    ])
    clearTimeout(timer)
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`job ${i}: ${(r.reason as Error).message}`] : []))
    expect(failed.slice(0, 5), `${failed.length} jobs failed`).toEqual([])
    results.forEach((r, i) => expect((r as PromiseFulfilledResult<Moderated>).value).toEqual({ text: `job ${i} is a CENSORED`, hits: 1 }))
    const stats = client.stats
    console.info(`all ${JOBS} results in ${Date.now() - started} ms; duplicates dropped: ${stats.duplicates}, late: ${stats.late}`)
    expect(stats.late).toBe(0)
  })
})
