// The raw kafkajs baseline: the client produces each request to a request topic, an echo
// consumer group produces every message it reads to a reply topic, and the client consumes
// the reply topic and matches replies by the id in the body. Both sides send what piles up
// within one event-loop turn as one produce request and never await a send inside
// eachBatch (so kafkajs fetches the next batch at once), and no offsets are committed:
// the plumbing a tuned kafkajs client would use, without anything mwlab adds.
import { randomBytes } from 'node:crypto'
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs'
import { UnavailableError } from '../../core/errors.ts'
import { createLogger } from '../../core/log.ts'
import { echoOfText } from '../operations.ts'
import { payloadPool, POOL_SIZE } from '../payload.ts'
import type { RawClientFactory, RawServer } from './raw.ts'

const log = createLogger('calibrate')
const JOIN_TIMEOUT_MS = 30_000
/** No call in flight for this long: the client's reply consumer stops polling until the next call. */
const IDLE_PAUSE_MS = 50

function kafkaOf(brokers: string, clientId: string): Kafka {
  const list = brokers.replace(/^kafka:\/\//, '').split(',').map((b) => b.trim()).filter(Boolean)
  return new Kafka({ clientId, brokers: list, logLevel: logLevel.NOTHING })
}

function split(address: string): { brokers: string; ns: string } {
  const i = address.lastIndexOf('#')
  return { brokers: address.slice(0, i), ns: address.slice(i + 1) }
}

/** Sends the messages queued within one event-loop turn as a single produce request. */
function tickBatcher(producer: Producer, topic: string) {
  let queued: { value: string | Buffer; onError?: (e: Error) => void }[] = []
  const flush = () => {
    const batch = queued
    queued = []
    producer.send({ topic, messages: batch.map((q) => ({ value: q.value })) }).catch((err: Error) => {
      log.warn(`kafka raw: produce to ${topic} failed`, err)
      for (const q of batch) q.onError?.(err)
    })
  }
  return (value: string | Buffer, onError?: (e: Error) => void) => {
    if (queued.length === 0) setImmediate(flush)
    queued.push({ value, onError })
  }
}

/** Resolves once the consumer has joined its group and got its partitions. */
function joined(c: Consumer): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new UnavailableError(`kafka consumer did not join its group within ${JOIN_TIMEOUT_MS} ms`)), JOIN_TIMEOUT_MS)
    c.on(c.events.GROUP_JOIN, () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

export async function startKafkaEcho(brokers: string): Promise<RawServer> {
  const ns = `mwlab-raw-${randomBytes(4).toString('hex')}`
  const kafka = kafkaOf(brokers, `${ns}-echo`)
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic: `${ns}-req` }, { topic: `${ns}-rep` }], waitForLeaders: true })
  const producer = kafka.producer({ allowAutoTopicCreation: false })
  await producer.connect()
  const consumer = kafka.consumer({ groupId: `${ns}-echo`, maxWaitTimeInMs: 10 })
  await consumer.connect()
  await consumer.subscribe({ topic: `${ns}-req`, fromBeginning: true })
  const ready = joined(consumer)
  const reply = tickBatcher(producer, `${ns}-rep`)
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) if (m.value) reply(m.value)
    },
  })
  await ready
  const topics = [{ topic: `${ns}-req` }]
  return {
    address: `${brokers}#${ns}`,
    pause: () => consumer.pause(topics),
    resume: () => consumer.resume(topics),
    async close() {
      await consumer.disconnect()
      await producer.disconnect()
      await admin.deleteTopics({ topics: [`${ns}-req`, `${ns}-rep`] }).catch((err: unknown) => log.warn('could not delete the raw kafka topics', err))
      await admin.disconnect()
    },
  }
}

export const connectRaw: RawClientFactory = async (address, workload, seed) => {
  const { brokers, ns } = split(address)
  const kafka = kafkaOf(brokers, `${ns}-client`)
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false })
  const consumer = kafka.consumer({ groupId: `${ns}-c-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 10 })
  await Promise.all([producer.connect(), consumer.connect()])
  const pending = new Map<string, (echo: string | undefined) => void>()
  await consumer.subscribe({ topic: `${ns}-rep`, fromBeginning: true })
  const ready = joined(consumer)
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        const id = m.value ? echoOfText(m.value.toString('utf8')) : undefined
        const settle = id === undefined ? undefined : pending.get(id)
        if (settle && id !== undefined) {
          pending.delete(id)
          settle(id)
        }
      }
      settled() // once a batch, not per reply: this is the baseline's hot path
    },
  })
  await ready
  const texts = payloadPool(workload.payload, seed).inputs.map((i) => i.text)
  let n = 0
  const request = tickBatcher(producer, `${ns}-req`)
  // Idle between the baseline's windows (the middleware's are running then): stop polling the
  // reply topic every 10 ms until the next call; paused from the start too. A reply cannot
  // come before its request. (A call the load engine gave up on keeps it polling until its
  // late reply arrives.)
  const replies = [{ topic: `${ns}-rep` }]
  let paused = true
  let closed = false
  consumer.pause(replies)
  let idleTimer: NodeJS.Timeout | undefined
  const settled = () => {
    if (pending.size > 0 || closed) return
    clearTimeout(idleTimer)
    idleTimer = setTimeout(() => {
      idleTimer = undefined
      if (pending.size === 0 && !paused && !closed) {
        paused = true
        consumer.pause(replies)
      }
    }, IDLE_PAUSE_MS)
  }
  const caller = (id: string) =>
    new Promise<string | undefined>((resolve, reject) => {
      if (paused) {
        paused = false
        consumer.resume(replies)
      }
      pending.set(id, resolve)
      request(`[${id}] ${texts[n++ & (POOL_SIZE - 1)]}`, (err) => {
        pending.delete(id)
        settled()
        reject(new UnavailableError(`kafka produce failed: ${err.message}`, { cause: err }))
      })
    })
  return {
    caller,
    async close() {
      closed = true
      clearTimeout(idleTimer)
      idleTimer = undefined
      await consumer.disconnect()
      await producer.disconnect()
    },
  }
}
