// Poison messages: garbage on the jobs queue and on the requests queue is dead-lettered to
// <ns>.dead with its reason, never retried, and the node carries on serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChannelModel } from 'amqplib'
import type { RunningNode } from '../core/contract.ts'
import { ValidationError } from '../core/errors.ts'
import { names } from './address.ts'
import type { RabbitClient } from './client.ts'
import { QUEUE_HEADER, REASON_HEADER } from './consumer.ts'
import driver from './driver.ts'
import { amqpUrl, cleanUp, drainQueue, rawConnection, testNamespace } from './test-support.ts'

describe('rabbitmq poison messages', () => {
  const url = amqpUrl()
  const ns = testNamespace('poison')
  const n = names(ns)
  let node: RunningNode
  let client: RabbitClient
  let raw: ChannelModel

  beforeAll(async () => {
    node = await driver.serve('single', { broker: url, namespace: ns })
    client = (await driver.connect({ server: node.address, timeoutMs: 10_000 })) as RabbitClient
    raw = await rawConnection(url)
  })
  afterAll(async () => {
    await client?.close()
    await node?.close()
    await raw?.close()
    await cleanUp(url, ns)
  })

  it('dead-letters undecodable jobs and requests with their reason and keeps serving', async () => {
    const ch = await raw.createConfirmChannel()
    const garbage = [
      { queue: n.jobs, body: Buffer.from('\u0000not json{{') },
      { queue: n.requests, body: Buffer.from('[1,2,3]') },
      { queue: n.jobs, body: Buffer.from('{"op":42,"params":{}}') },
    ]
    for (const g of garbage) ch.sendToQueue(g.queue, g.body, { persistent: true, messageId: `garbage-${g.queue}` })
    await ch.waitForConfirms()
    await ch.close()

    // The next valid job and request are served by the same node.
    expect(await client.moderate('what a scam')).toEqual({ text: 'what a CENSORED', hits: 1 })
    expect(await client.productStats('B000000001')).toMatchObject({ count: 0 })

    const dead = await drainQueue(raw, n.dead, garbage.length)
    expect(dead).toHaveLength(garbage.length)
    for (const g of garbage) {
      const m = dead.find((d) => d.content.equals(g.body))
      expect(m, `dead-lettered copy of ${g.body.toString()}`).toBeDefined()
      expect(m!.properties.headers?.[QUEUE_HEADER]).toBe(g.queue)
      expect(String(m!.properties.headers?.[REASON_HEADER])).toMatch(/JSON|op|object/)
    }
    // Never retried: nothing is left behind in the work queues.
    const q = await raw.createChannel()
    expect((await q.checkQueue(n.jobs)).messageCount).toBe(0)
    expect((await q.checkQueue(n.requests)).messageCount).toBe(0)
    await q.close()
  })

  it('answers a well-formed request with invalid params with a ValidationError naming the field', async () => {
    const err = await client.submitReview({ productId: 'B000000001', reviewerId: 'x', rating: 9, text: 't' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ValidationError)
    expect((err as ValidationError).field).toBe('rating')
    const err2 = await client.moderate('t', { cpuMicros: -5 }).catch((e: unknown) => e)
    expect((err2 as ValidationError).field).toBe('cost.cpuMicros')
    // A bad request is answered, not dead-lettered.
    expect(await drainQueue(raw, n.dead, 1, 300)).toHaveLength(0)
  })

  it('answers an undecodable message that carries replyTo at once, still dead-lettering it', async () => {
    const conn = await rawConnection(url)
    try {
      const ch = await conn.createChannel()
      const reply = new Promise<Buffer>((resolve) => {
        void ch.consume('amq.rabbitmq.reply-to', (m) => m && resolve(m.content), { noAck: true })
      })
      await new Promise((r) => setTimeout(r, 50))
      ch.sendToQueue(n.requests, Buffer.from('nope'), { replyTo: 'amq.rabbitmq.reply-to', correlationId: 'c1' })
      const body = JSON.parse((await reply).toString()) as { ok: boolean; error: { code: string; field: string } }
      expect(body).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', field: 'body' } })
      expect(await drainQueue(raw, n.dead, 1)).toHaveLength(1)
    } finally {
      await conn.close()
    }
  })
})
