// deleteNamespace removes a namespace's consumer groups even when a member is still
// leaving: a group with members cannot be deleted, so it waits (bounded) instead of failing.
import { describe, expect, inject, it } from 'vitest'
import { uniqueNamespace } from '../test/topology.ts'
import { parseBrokers } from './address.ts'
import { consumerConfig, makeKafka } from './connection.ts'
import { deleteNamespace } from './namespace.ts'
import { topicsOf } from './topics.ts'

const broker = inject('brokers').kafka

describe('kafka deleteNamespace', () => {
  it('waits for a group member that leaves late, then deletes the group', { timeout: 60_000 }, async () => {
    expect(broker, 'no Kafka broker from global setup').toBeTruthy()
    const ns = uniqueNamespace('kdel')
    const t = topicsOf(ns)
    const kafka = makeKafka(parseBrokers(broker), 'mwlab-test')
    const admin = kafka.admin()
    await admin.connect()
    const member = kafka.consumer(consumerConfig(t.workerGroup))
    try {
      await admin.createTopics({ topics: [{ topic: t.jobs, numPartitions: 1 }], waitForLeaders: true })
      await member.connect()
      await member.subscribe({ topics: [t.jobs] })
      let joined!: () => void
      const inGroup = new Promise<void>((r) => (joined = r))
      member.on(member.events.GROUP_JOIN, () => joined())
      await member.run({ eachMessage: async () => {} })
      await inGroup
      let settled = false
      const deleting = deleteNamespace(broker, ns).finally(() => (settled = true))
      await new Promise((r) => setTimeout(r, 1500))
      expect(settled, 'deleteNamespace must still be waiting for the member').toBe(false)
      await member.disconnect() // leaves the group while deleteNamespace is retrying
      await deleting
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId)
      expect(groups).not.toContain(t.workerGroup)
    } finally {
      await member.disconnect().catch(() => undefined)
      await admin.disconnect()
    }
  })
})
