// subscribe(): each subscriber reads `<ns>.trending` from "now" through its own consumer
// group, moved to the topic's end as it was before joining: every update published after
// subscribe() was called is delivered, none from much before.
import { randomUUID } from 'node:crypto'
import type { Admin, Consumer, Kafka } from 'kafkajs'
import { Channel } from '../core/channel.ts'
import { createLogger } from '../core/log.ts'
import type { TrendingUpdate } from '../core/schemas.ts'
import { decodeTrending } from './codec.ts'
import { consumerConfig, toUnavailable } from './connection.ts'
import { endOffsets, seekTo } from './group.ts'

const log = createLogger('kafka subscribe')

export interface Subscription {
  updates: AsyncIterable<TrendingUpdate>
  /** Ends the stream and removes the subscriber's consumer and group. Idempotent. */
  stop(): Promise<void>
}

export function subscribeTrending(kafka: Kafka, admin: Admin, topic: string, signal: AbortSignal): Subscription {
  const ch = new Channel<TrendingUpdate>(100)
  const group = `${topic}.sub.${randomUUID()}`
  let consumer: Consumer | undefined
  let stopping = false
  let stopped: Promise<void> | undefined

  const start = async () => {
    const from = await endOffsets(admin, topic)
    if (stopping) return
    consumer = kafka.consumer(consumerConfig(group))
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) ch.end(toUnavailable(e.payload.error, 'trending subscription lost'))
    })
    await consumer.connect()
    await consumer.subscribe({ topic })
    if (stopping) return
    await consumer.run({
      eachMessage: async ({ message }) => {
        const d = decodeTrending(message.value)
        if (d.ok) ch.push(d.value)
        else log.warn(`undecodable trending update dropped: ${d.reason}`)
      },
    })
    seekTo(consumer, topic, from)
  }
  const starting = signal.aborted
    ? Promise.resolve()
    : start().catch((err: unknown) => {
        ch.end(toUnavailable(err, 'could not subscribe to trending'))
      })

  const stop = () => {
    stopped ??= (async () => {
      stopping = true
      ch.end()
      await starting // a consumer still connecting is disconnected once it is up, not mid-way
      if (!consumer) return
      await consumer.disconnect().catch((err: unknown) => log.warn('subscriber disconnect failed', err))
      // Nobody will ever use this group again.
      await admin.deleteGroups([group]).catch(() => undefined)
    })()
    return stopped
  }
  if (signal.aborted) void stop()
  else signal.addEventListener('abort', () => void stop(), { once: true })

  // Leaving the loop (break, return) stops the consumer too, not only the abort signal.
  ch.whenReaderLeaves(() => void stop())
  return { stop, updates: ch }
}
