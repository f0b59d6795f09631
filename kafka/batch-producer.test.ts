// BatchProducer splits what one tick queued into produce requests under the byte cap,
// so a broker's message.max.bytes never refuses a whole batch of otherwise valid calls.
import type { Kafka, ProducerBatch } from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { BatchProducer } from './batch-producer.ts'

describe('kafka batch producer', () => {
  it('sends 1,500 messages of 4 KiB queued at once in requests of at most ~512 KiB, none dropped', async () => {
    const requests: ProducerBatch[] = []
    const fake = {
      producer: () => ({
        connect: async () => undefined,
        disconnect: async () => undefined,
        sendBatch: async (b: ProducerBatch) => void requests.push(b),
      }),
    } as unknown as Kafka
    const p = await BatchProducer.connect(fake)
    const value = 'x'.repeat(4096)
    await Promise.all(Array.from({ length: 1500 }, (_, i) => p.send('replies', { key: `k${i}`, value })))
    const sizes = requests.map((r) => (r.topicMessages ?? []).flatMap((t) => t.messages).reduce((n, m) => n + Buffer.byteLength(String(m.value)), 0))
    expect(requests.length).toBeGreaterThan(1)
    for (const s of sizes) expect(s).toBeLessThanOrEqual(512 * 1024)
    const keys = requests.flatMap((r) => (r.topicMessages ?? []).flatMap((t) => t.messages.map((m) => String(m.key))))
    expect(new Set(keys).size).toBe(1500)
    await p.close()
  })
})
