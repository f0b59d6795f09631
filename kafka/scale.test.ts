// Scaling a Kafka master's worker pool while jobs flow: a worker stopped gracefully
// (SIGTERM -> node.close()) finishes and commits its in-flight jobs before it leaves the
// group, so nothing is lost and nothing is answered twice; a worker added joins the group
// and takes a share of the partitions, nothing lost either.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { uniqueNamespace, waitFor } from '../test/topology.ts'
import type { KafkaReviewClient } from './client.ts'
import driver from './driver.ts'
import { deleteNamespace } from './namespace.ts'
import type { KafkaNode } from './node.ts'

describe('kafka master scaleTo', () => {
  let node: KafkaNode
  let client: KafkaReviewClient
  const broker = inject('brokers').kafka
  const ns = uniqueNamespace('ksc')

  beforeAll(async () => {
    expect(broker, 'no Kafka broker from global setup').toBeTruthy()
    node = (await driver.serve('master', { broker, namespace: ns, workers: 2, broadcastMs: 2000 })) as KafkaNode
    await waitFor('2 kafka workers', async () => (await node.workers()).length >= 2, 60_000)
    client = (await driver.connect({ server: node.address, timeoutMs: 60_000 })) as KafkaReviewClient
  })

  afterAll(async () => {
    await client?.close()
    await node?.close()
    await deleteNamespace(broker, ns)
  })

  it('shrinks and grows the pool mid-stream without losing a job', { timeout: 120_000 }, async () => {
    const before = (await node.workers()).map((w) => w.id)
    const run = (n: number, tag: string) => {
      let answered = 0
      const all = Array.from({ length: n }, (_, i) => client.moderate(`${tag} ${i} idiot`, { ioMillis: 40 }).then((m) => (answered++, m)))
      return { all: Promise.all(all), answered: () => answered }
    }
    const check = (results: { text: string; hits: number }[], tag: string) =>
      results.forEach((m, i) => expect(m).toEqual({ text: `${tag} ${i} CENSORED`, hits: 1 }))

    // Shrink: the stopped worker drains and commits before it leaves; the survivor keeps
    // its partitions and gains the others' from their committed offsets: nothing is redone.
    const shrink = run(2000, 'shrink')
    await waitFor('300 results', async () => shrink.answered() >= 300, 60_000, 20)
    await node.scaleTo!(1)
    const afterShrink = await node.workers()
    expect(afterShrink).toHaveLength(1)
    expect(before).toContain(afterShrink[0]!.id)
    check(await shrink.all, 'shrink')
    expect(client.stats.duplicates).toBe(0)

    // Grow: partitions move off the busy survivor; what it had in flight on them is redone
    // by the newcomer (kafkajs rebalances eagerly), and those duplicates are dropped and counted.
    const grow = run(2000, 'grow')
    await waitFor('300 results', async () => grow.answered() >= 300, 60_000, 20)
    await node.scaleTo!(2)
    const afterGrow = await node.workers()
    expect(afterGrow).toHaveLength(2)
    expect(afterGrow.every((w) => typeof w.pid === 'number')).toBe(true)
    check(await grow.all, 'grow')
    console.info(`2000 jobs through a shrink 2->1 (0 duplicates) and 2000 through a grow 1->2 (${client.stats.duplicates} duplicates dropped)`)
  })
})
