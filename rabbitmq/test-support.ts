// Helpers for the RabbitMQ tests: the broker URL, a unique namespace per suite, raw
// amqplib access for poison messages, and namespace clean-up.
import { randomBytes } from 'node:crypto'
import amqp, { type ChannelModel, type GetMessage } from 'amqplib'
import { inject } from 'vitest'
import { deleteTopology } from './topology.ts'

export function amqpUrl(): string {
  const url = process.env.AMQP_URL ?? inject('brokers').amqp
  if (!url) throw new Error('no RabbitMQ: set AMQP_URL or let test/global-setup.ts start one')
  return url
}

export function testNamespace(tag: string): string {
  return `t${tag}${Date.now().toString(36)}${randomBytes(3).toString('hex')}`
}

export async function rawConnection(url: string): Promise<ChannelModel> {
  return amqp.connect(url)
}

/** Takes up to `max` messages from a queue (acked), polling until `want` arrived or timeoutMs passed. */
export async function drainQueue(conn: ChannelModel, queue: string, want: number, timeoutMs = 10_000): Promise<GetMessage[]> {
  const ch = await conn.createChannel()
  const out: GetMessage[] = []
  const end = Date.now() + timeoutMs
  try {
    while (out.length < want && Date.now() < end) {
      const m = await ch.get(queue, { noAck: true })
      if (m) out.push(m)
      else await new Promise((r) => setTimeout(r, 50))
    }
  } finally {
    await ch.close()
  }
  return out
}

/** Deletes a test namespace's queues and exchanges; logs rather than masks a failed test. */
export async function cleanUp(url: string, ns: string): Promise<void> {
  try {
    await deleteTopology(url, ns)
  } catch (err) {
    process.stderr.write(`cleaning up namespace ${ns} failed: ${String(err)}\n`)
  }
}
