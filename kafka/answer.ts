// Answers one consumed message: decode the envelope (or dead-letter it), skip what this
// node already answered or what nobody waits for any more, run the operation, produce the
// reply (a result or a WireError) to the client's reply partition.
import type { KafkaMessage } from 'kafkajs'
import { errorForReply, UnknownOperationError, ValidationError } from '../core/errors.ts'
import type { Logger } from '../core/log.ts'
import type { BatchProducer } from './batch-producer.ts'
import { RecentIds } from '../core/bounded.ts'
import { decodeEnvelope, encode, type Envelope, type Reply } from './codec.ts'
import { deadLetter, type Source } from './dead-letter.ts'

/** Ids a node remembers having answered, so a redelivery to the same node is not run twice. */
const REMEMBERED_IDS = 100_000

export interface LoopStats {
  answered: number
  deadLettered: number
  /** Skipped because the client's deadline had passed. */
  expired: number
  /** Delivered again after this node had answered it (rebalance before commit). */
  redelivered: number
}

export interface AnswerOptions {
  topic: string
  dlqTopic: string
  producer: BatchProducer
  handle(env: Envelope): Promise<unknown>
  log: Logger
}

/**
 * Returns `answer(message, partition, release)`. `release` is called as soon as the work
 * is done, before the reply's round trip to the broker, so a node's slot is not held by it.
 * Resolves once the reply (or dead letter) is acknowledged.
 */
export function makeAnswerer(o: AnswerOptions, stats: LoopStats) {
  const answered = new RecentIds(REMEMBERED_IDS)

  // In progress here: after a rebalance kafkajs fetches again from the committed offset,
  // and a job this node is still running must not be run (and answered) twice.
  const running = new Map<string, Promise<void>>()

  return async function answer(m: KafkaMessage, partition: number, release: () => void): Promise<void> {
    const source = { topic: o.topic, partition, offset: m.offset }
    const decoded = decodeEnvelope(m.value)
    if (!decoded.ok) {
      release()
      stats.deadLettered++
      o.log.warn(`poison message at ${o.topic}/${partition}@${m.offset} sent to ${o.dlqTopic}: ${decoded.reason}`)
      await deadLetter(o.producer, o.dlqTopic, m, source, decoded.reason)
      return
    }
    const env = decoded.value
    const prior = running.get(env.id)
    if (prior || answered.has(env.id)) {
      stats.redelivered++
      release()
      // This offset may be committed once the first run's reply is out.
      return prior
    }
    if (env.deadline !== undefined && Date.now() > env.deadline) {
      stats.expired++
      return release()
    }
    const run = respond(env, m, source, release)
    running.set(env.id, run)
    try {
      await run
    } finally {
      running.delete(env.id)
    }
  }

  async function respond(env: Envelope, m: KafkaMessage, source: Source, release: () => void): Promise<void> {
    let reply: Reply
    let rejected: string | undefined
    try {
      reply = { id: env.id, ok: await o.handle(env) }
    } catch (err) {
      const e = errorForReply(err, o.log, env.op)
      reply = { id: env.id, error: e.toWire() }
      // Rejected input is kept for inspection too; the client still gets its error reply.
      if (e instanceof ValidationError || e instanceof UnknownOperationError) rejected = `rejected ${env.op}: ${e.message}`
    } finally {
      release()
    }
    if (rejected) {
      stats.deadLettered++
      await deadLetter(o.producer, o.dlqTopic, m, source, rejected)
    }
    await o.producer.send(env.replyTo, { key: env.client, value: encode(reply), partition: env.replyPartition })
    answered.add(env.id)
    stats.answered++
  }
}
