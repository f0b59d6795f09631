// The client's reply consumer commits its offset itself (kafka/reply-offset.ts) instead of
// kafkajs committing after every fetched batch. A group that rejoins reads on from that
// offset, so it must exist from the start (or a rejoin would jump to the end and skip
// replies) and keep up with the replies read.
import type { Admin } from 'kafkajs'
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
const replies = topicsOf(ns).replies
const CALLS = 300

describe('kafka reply offset', () => {
  let node: RunningNode
  let client: ReviewClient
  let admin: Admin

  beforeAll(async () => {
    expect(broker, 'no Kafka broker from global setup').toBeTruthy()
    node = await driver.serve('single', { broker, namespace: ns })
    admin = makeKafka(parseBrokers(broker), 'mwlab-test').admin()
    await admin.connect()
    client = await driver.connect({ server: node.address })
  })

  afterAll(async () => {
    await client?.close()
    await admin?.disconnect()
    await node?.close()
    await deleteNamespace(broker, ns)
  })

  /** The client group's committed offset on its reply partition, and that partition's end. */
  async function position(): Promise<{ committed: string; end: string } | undefined> {
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(`${ns}.client.`))
    expect(groups).toHaveLength(1)
    const mine = (await admin.fetchOffsets({ groupId: groups[0], topics: [replies] }))[0].partitions.filter((p) => p.offset !== '-1')
    if (mine.length !== 1) return undefined // not committed yet
    const end = (await admin.fetchTopicOffsets(replies)).find((o) => o.partition === mine[0].partition)!.high
    return { committed: mine[0].offset, end }
  }

  it('is committed as soon as the client has connected, before any reply', async () => {
    const p = await waitFor('a committed reply offset', position, 3000)
    expect(p.committed).toBe(p.end)
  })

  it('follows the replies read, within a commit period or two', async () => {
    const results = await Promise.all(Array.from({ length: CALLS }, (_, i) => client.moderate(`review ${i} is fine`)))
    expect(results).toHaveLength(CALLS)
    const p = await waitFor('the reply offset committed up to the end', async () => {
      const q = await position()
      return q && q.committed === q.end && q
    }, 5000)
    expect(Number(p.end)).toBeGreaterThanOrEqual(CALLS)
  })
})
