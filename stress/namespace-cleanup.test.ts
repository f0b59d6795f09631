// A harness run uses a fresh namespace and removes it from the broker when its node closes
// (Driver.dropNamespace): without that, every run left Kafka five topics of up to 12
// partitions, and an interrupted Redis run its unanswered jobs in a list without expiry.
import amqp from 'amqplib'
import { Kafka, logLevel } from 'kafkajs'
import { Redis } from 'ioredis'
import { describe, expect, inject, it } from 'vitest'
import type { MiddlewareName } from '../core/contract.ts'
import { loadDriver } from '../core/drivers.ts'
import { brokerFor } from '../test/topology.ts'
import { startNode } from './topology.ts'

async function withRedis<T>(url: string, f: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis(url, { lazyConnect: true })
  await r.connect()
  try {
    return await f(r)
  } finally {
    r.disconnect()
  }
}

/** Names the broker still holds for `ns`. */
async function leftovers(mw: MiddlewareName, broker: string, ns: string): Promise<string[]> {
  if (mw === 'redis') return withRedis(broker, (r) => r.keys(`${ns}:*`))
  if (mw === 'kafka') {
    const admin = new Kafka({ brokers: [broker], logLevel: logLevel.NOTHING }).admin()
    await admin.connect()
    try {
      return (await admin.listTopics()).filter((t) => t.startsWith(`${ns}.`))
    } finally {
      await admin.disconnect()
    }
  }
  const conn = await amqp.connect(broker)
  try {
    const left: string[] = []
    for (const q of ['requests', 'jobs', 'dead']) {
      // checkQueue on a missing queue closes the channel with 404: one channel per probe.
      const ch = await conn.createChannel()
      ch.on('error', () => {})
      if (await ch.checkQueue(`${ns}.${q}`).then(() => true, () => false)) left.push(`${ns}.${q}`)
      await ch.close().catch(() => {})
    }
    return left
  } finally {
    await conn.close()
  }
}

describe.each(['redis', 'rabbitmq', 'kafka'] as MiddlewareName[])('%s harness namespace', (mw) => {
  it('is on the broker while the node serves and gone once it is closed', { timeout: 60_000 }, async () => {
    const broker = brokerFor(mw, inject('brokers'))!
    const started = await startNode(mw, { workers: 0, broker })
    const driver = await loadDriver(mw)
    const client = await driver.connect({ server: started.address, timeoutMs: 20_000 })
    try {
      expect(await client.moderate('you idiot')).toEqual({ text: 'you CENSORED', hits: 1 })
      // A clean Redis node removes its own keys on close; a buried poison message (or an
      // interrupted run's unanswered jobs) is what stays behind.
      if (mw === 'redis') await withRedis(broker, (r) => r.lpush(`${started.namespace}:dead`, '{"raw":"poison"}'))
      expect((await leftovers(mw, broker, started.namespace)).length).toBeGreaterThan(0)
    } finally {
      await client.close()
      await started.close()
    }
    expect(await leftovers(mw, broker, started.namespace)).toEqual([])
  })
})
