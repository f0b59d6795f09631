// Regression: a thousand calls with 4 KiB texts sent at once used to make one produce
// request of several MB, which the broker refused whole (message.max.bytes), so every
// call in it went unanswered. Batches are now capped in bytes: all answers arrive.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { ReviewClient, RunningNode } from '../core/contract.ts'
import { uniqueNamespace } from '../test/topology.ts'
import driver from './driver.ts'
import { deleteNamespace } from './namespace.ts'

const broker = inject('brokers').kafka
const ns = uniqueNamespace('large')

describe('kafka produce batches', () => {
  let node: RunningNode
  let client: ReviewClient

  beforeAll(async () => {
    expect(broker, 'no Kafka broker from global setup').toBeTruthy()
    node = await driver.serve('single', { broker, namespace: ns, broadcastMs: 60_000 })
    client = await driver.connect({ server: node.address, timeoutMs: 30_000 })
  })
  afterAll(async () => {
    await client?.close()
    await node?.close()
    await deleteNamespace(broker, ns).catch(() => undefined)
  })

  it('answers 1,500 concurrent moderate calls of 4 KiB each (several MB in one tick)', async () => {
    const text = (i: number) => `${i} idiot `.padEnd(4096, 'x')
    const replies = await Promise.all(Array.from({ length: 1500 }, (_, i) => client.moderate(text(i))))
    expect(replies).toHaveLength(1500)
    replies.forEach((r, i) => expect(r.text.startsWith(`${i} CENSORED `)).toBe(true))
  })
})
