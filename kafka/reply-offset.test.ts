// The client's reply consumer commits its offset itself, once a second, instead of kafkajs
// committing after every fetched batch. A group that rejoins reads on from that offset, so
// it must keep up with the replies read: within a couple of seconds of the last reply, the
// committed offset is the end of the client's reply partition.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { ReviewClient, RunningNode } from '../core/contract.ts'
import { uniqueNamespace, waitFor } from '../test/topology.ts'
import { parseBrokers } from './address.ts'
import { makeKafka } from './connection.ts'
import driver from './driver.ts'
import { deleteNamespace } from './namespace.ts'
import { topicsOf } from './topics.ts'

const broker = inject('brokers').kafka
const ns = uniqueNamespace('krep')
const CALLS = 300

describe('kafka reply offset', () => {
  let node: RunningNode
  let client: ReviewClient

  beforeAll(async () => {
    expect(broker, 'no Kafka broker from global setup').toBeTruthy()
    node = await driver.serve('single', { broker, namespace: ns })
    client = await driver.connect({ server: node.address })
  })

  afterAll(async () => {
    await client?.close()
    await node?.close()
    await deleteNamespace(broker, ns)
  })

  it('is committed up to the last reply read', async () => {
    const results = await Promise.all(Array.from({ length: CALLS }, (_, i) => client.moderate(`review ${i} is fine`)))
    expect(results).toHaveLength(CALLS)
    const admin = makeKafka(parseBrokers(broker), 'mwlab-test').admin()
    await admin.connect()
    try {
      const replies = topicsOf(ns).replies
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(`${ns}.client.`))
      expect(groups).toHaveLength(1)
      const ends = new Map((await admin.fetchTopicOffsets(replies)).map((o) => [o.partition, o.high]))
      const committed = async () => (await admin.fetchOffsets({ groupId: groups[0], topics: [replies] }))[0].partitions.filter((p) => p.offset !== '-1')
      // Replies sit on one partition; the committed offset reaches its end within a commit period or two.
      await waitFor('the reply offset committed up to the end', async () => {
        const c = await committed()
        return c.length === 1 && c[0].offset === ends.get(c[0].partition)
      }, 5000)
      expect(Number(ends.get((await committed())[0].partition))).toBeGreaterThanOrEqual(CALLS)
    } finally {
      await admin.disconnect()
    }
  })
})
