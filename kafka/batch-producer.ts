// A producer that sends everything queued since its last request in one request, with
// one request in flight at a time. Thousands of concurrent calls then cost a few produce
// round trips instead of thousands, and the idempotent producer's per-partition sequence
// numbers never race (kafkajs keeps them correct only for sends that do not overlap).
import type { Kafka, Message, Producer, TopicMessages } from 'kafkajs'
import { createLogger } from '../core/log.ts'
import { atMost } from '../core/time-limit.ts'

const MAX_BATCH = 2000
/**
 * Bytes per produce request. Brokers refuse a record batch over message.max.bytes (1 MB by
 * default) whole, and all of one client's replies go to one partition, so an uncapped
 * batch of a thousand large replies would fail every one of them.
 */
const MAX_BATCH_BYTES = 512 * 1024
/** What a record costs on the wire beyond its key and value (headers, offsets, lengths). */
const RECORD_OVERHEAD_BYTES = 64

function sizeOf(m: Message): number {
  const len = (v: Message['value'] | Message['key']) => (v == null ? 0 : typeof v === 'string' ? Buffer.byteLength(v) : v.length)
  return len(m.value) + len(m.key) + RECORD_OVERHEAD_BYTES
}
const log = createLogger('kafka.producer')

interface Pending {
  topic: string
  message: Message
  resolve: () => void
  reject: (err: unknown) => void
}

export class BatchProducer {
  private queue: Pending[] = []
  private running: Promise<void> | undefined
  private idle: Promise<void> = Promise.resolve()

  private constructor(private readonly producer: Producer) {}

  /** acks = all in-sync replicas, idempotent: a retried produce never writes twice. */
  static async connect(kafka: Kafka): Promise<BatchProducer> {
    // Idempotence needs unbounded retries (kafkajs warns otherwise); a caller that cannot
    // wait has its own deadline, and close() gives up after its timeout.
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 5000 },
    })
    await producer.connect()
    return new BatchProducer(producer)
  }

  /** Resolves once the broker acknowledged the message (acks=-1). */
  send(topic: string, message: Message): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ topic, message, resolve, reject })
      if (!this.running) {
        // Start on the next macrotask so every send of the current tick shares the request.
        this.running = new Promise<void>((r) => setImmediate(r)).then(() => this.loop())
        this.idle = this.running
      }
    })
  }

  private async loop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        let bytes = 0
        let n = 0
        while (n < this.queue.length && n < MAX_BATCH) {
          bytes += sizeOf(this.queue[n].message)
          if (bytes > MAX_BATCH_BYTES && n > 0) break
          n++
        }
        const batch = this.queue.splice(0, n)
        const byTopic = new Map<string, Message[]>()
        for (const p of batch) {
          let list = byTopic.get(p.topic)
          if (!list) byTopic.set(p.topic, (list = []))
          list.push(p.message)
        }
        const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }))
        try {
          await this.producer.sendBatch({ topicMessages, acks: -1 })
          for (const p of batch) p.resolve()
        } catch (err) {
          log.warn(`produce of ${batch.length} message(s) failed`, err)
          for (const p of batch) p.reject(err)
        }
      }
    } finally {
      this.running = undefined
    }
  }

  /** Waits (at most `timeoutMs`) for queued messages to be sent, then disconnects. */
  async close(timeoutMs = 10_000): Promise<void> {
    await atMost(this.idle.catch(() => undefined), timeoutMs)
    if (this.queue.length > 0) {
      log.warn(`closing with ${this.queue.length} unsent message(s)`)
      for (const p of this.queue.splice(0)) p.reject(new Error('producer closed'))
    }
    await this.producer.disconnect()
  }
}
