// Poison messages: bytes that are not an envelope, and envelopes with bad params, must not
// stop a Kafka node. The first kind lands in `<ns>.dlq` with its reason; the second is
// answered with a ValidationError naming the field and kept in the DLQ too; valid work
// sent after them is still served.
import type { KafkaMessage } from 'kafkajs'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { ReviewClient, RunningNode } from '../core/contract.ts'
import { ValidationError } from '../core/errors.ts'
import { uniqueNamespace, waitFor } from '../test/topology.ts'
import { parseBrokers } from './address.ts'
import { consumerConfig, makeKafka } from './connection.ts'
import { DLQ_REASON, DLQ_SOURCE, headerText } from './dead-letter.ts'
import driver from './driver.ts'
import { deleteNamespace } from './namespace.ts'
import { topicsOf } from './topics.ts'

const broker = inject('brokers').kafka
const ns = uniqueNamespace('dlq')
const t = topicsOf(ns)
const kafka = makeKafka(parseBrokers(broker), 'dlq-test')

describe('kafka dead-letter topic', () => {
  let node: RunningNode
  let client: ReviewClient
  const dead: KafkaMessage[] = []
  const consumer = kafka.consumer(consumerConfig(`${ns}.test-dlq-reader`))

  beforeAll(async () => {
    expect(broker, 'no Kafka broker from global setup').toBeTruthy()
    node = await driver.serve('single', { broker, namespace: ns, broadcastMs: 1000 })
    client = await driver.connect({ server: node.address, timeoutMs: 20_000 })
    await consumer.connect()
    await consumer.subscribe({ topic: t.dlq, fromBeginning: true })
    await consumer.run({ eachMessage: async ({ message }) => void dead.push(message) })
  })

  afterAll(async () => {
    await consumer.disconnect()
    await client?.close()
    await node?.close()
    await deleteNamespace(broker, ns)
  })

  it('moves undecodable messages to the DLQ with a reason and keeps serving', async () => {
    const producer = kafka.producer()
    await producer.connect()
    await producer.send({
      topic: t.jobs,
      messages: [
        { key: 'poison-1', value: 'this is not json' },
        { key: 'poison-2', value: JSON.stringify({ id: 'x', op: 'moderate' }) }, // no reply address
      ],
    })
    await producer.send({ topic: t.requests, messages: [{ key: 'poison-3', value: Buffer.from([0xff, 0x00, 0x13]) }] })
    await producer.disconnect()

    // Sent after the poison: must still be answered.
    expect(await client.moderate('a scam, served after poison')).toEqual({ text: 'a CENSORED, served after poison', hits: 1 })
    expect((await client.submitReview({ productId: 'B00DLQTEST', reviewerId: 'r', rating: 5, text: 'fine' })).rating).toBe(5)

    const poison = await waitFor('3 poison messages in the DLQ', async () => {
      const found = dead.filter((m) => m.key?.toString().startsWith('poison-'))
      return found.length >= 3 && found
    })
    const byKey = new Map(poison.map((m) => [m.key!.toString(), m]))
    expect(headerText(byKey.get('poison-1')!.headers, DLQ_REASON)).toMatch(/not JSON/)
    expect(headerText(byKey.get('poison-2')!.headers, DLQ_REASON)).toMatch(/invalid envelope: replyTo/)
    expect(headerText(byKey.get('poison-3')!.headers, DLQ_REASON)).toMatch(/not JSON/)
    expect(headerText(byKey.get('poison-1')!.headers, DLQ_SOURCE)).toMatch(new RegExp(`^${t.jobs}/\\d+@\\d+$`))
    expect(headerText(byKey.get('poison-3')!.headers, DLQ_SOURCE)).toMatch(new RegExp(`^${t.requests}/\\d+@\\d+$`))
    expect(byKey.get('poison-1')!.value?.toString()).toBe('this is not json') // the original bytes, unchanged
  })

  it('answers invalid params with a ValidationError naming the field, and records it in the DLQ', async () => {
    const err = await client.moderate('hi', { ioMillis: -5 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ValidationError)
    expect((err as ValidationError).field).toBe('cost.ioMillis')
    const rejected = await waitFor('the rejected job in the DLQ', async () =>
      dead.find((m) => /rejected moderate: invalid cost\.ioMillis/.test(headerText(m.headers, DLQ_REASON) ?? '')),
    )
    expect(JSON.parse(rejected.value!.toString()).params).toEqual({ text: 'hi', cost: { ioMillis: -5 }, requestId: expect.any(String) })
    expect((await client.moderate('still serving')).hits).toBe(0)
  })
})
