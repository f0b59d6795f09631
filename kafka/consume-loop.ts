// The server side of request/reply and of the work queue: a consumer-group member that
// takes envelopes from one topic, runs up to `concurrency` of them at once on this node,
// produces each reply, and only then lets the committed offset move past it (kafka/
// commit-tracker.ts). A node that dies leaves its unanswered messages to the partition's
// next owner, so nothing is lost; what it had answered but not yet committed is answered
// again, and clients drop the duplicate. Messages that do not decode go to the dead-letter
// topic (kafka/answer.ts), and the loop carries on.
//
// eachBatch only *starts* messages (waiting for a free slot) and returns: kafkajs fetches
// the next batch while jobs run, so one slow job never holds back the ones behind it.
import type { EachBatchPayload, Kafka } from 'kafkajs'
import type { Logger } from '../core/log.ts'
import { makeAnswerer, type LoopStats } from './answer.ts'
import type { BatchProducer } from './batch-producer.ts'
import { Limiter } from '../core/limiter.ts'
import type { Envelope } from './codec.ts'
import { CommitTracker } from './commit-tracker.ts'
import { consumerConfig, HEARTBEAT_INTERVAL_MS, refusedByRebalance } from './connection.ts'
import { waitForJoin } from './group.ts'

export type { LoopStats } from './answer.ts'

/**
 * Answered offsets (and how many messages past them are started) are committed this soon
 * after a start or an answer (coalesced: one commit in flight at a time). Prompt commits
 * keep the backlog the autoscaler reads close to what is really waiting, and shrink what a
 * crash makes nodes redo.
 */
const COMMIT_AFTER_MS = 20
/**
 * After a failed commit (typically a rebalance under way) the next waits this long: a
 * rebalance settles in a few hundred ms, and until the next commit lands the backlog the
 * autoscaler reads still counts the jobs started meanwhile.
 */
const COMMIT_RETRY_MS = 200
/**
 * While a batch waits for slots, heartbeat() is offered this often. kafkajs sends one only
 * when the interval has passed since the last answer, so ticking at the interval itself
 * would skip every other one; at half of it a heartbeat goes out about every interval.
 */
const HEARTBEAT_TICK_MS = HEARTBEAT_INTERVAL_MS / 2
const YIELD_EVERY_MS = 1

export interface LoopOptions {
  kafka: Kafka
  groupId: string
  topic: string
  dlqTopic: string
  producer: BatchProducer
  /** Messages in progress at once on this node (across all its partitions). */
  concurrency: number
  /** Partitions of `topic`: how many batches kafkajs may hand us at once. */
  partitions: number
  handle(env: Envelope): Promise<unknown>
  log: Logger
  /** kafkajs gave up on the consumer (it will not restart it). */
  onFatal(err: Error): void
}

export interface ConsumeLoop {
  readonly stats: LoopStats
  /** Stops taking messages, finishes those in flight, commits, leaves the group. */
  stop(): Promise<void>
}

export async function startConsumeLoop(o: LoopOptions): Promise<ConsumeLoop> {
  const stats: LoopStats = { answered: 0, deadLettered: 0, expired: 0, redelivered: 0 }
  const answer = makeAnswerer(o, stats)
  const slots = new Limiter(o.concurrency)
  const tracker = new CommitTracker()
  const inFlight = new Set<Promise<void>>()
  const consumer = o.kafka.consumer(consumerConfig(o.groupId))
  let stopping = false

  let committing: Promise<void> = Promise.resolve()
  let retryAt = 0
  const commit = () => {
    committing = committing.then(async () => {
      const points = tracker.take()
      if (points.length === 0) return
      try {
        await consumer.commitOffsets(points.map((p) => ({ topic: o.topic, partition: p.partition, offset: p.offset, metadata: String(p.started) })))
        retryAt = 0
      } catch (err) {
        retryAt = Date.now() + COMMIT_RETRY_MS
        // Typically a rebalance: the partition's next owner answers these again and clients
        // drop the duplicates. Otherwise the next commit carries them (and stop() commits last).
        tracker.resend(points)
        if (refusedByRebalance(err)) o.log.debug(`commit on ${o.topic} refused: the group is rebalancing`, err)
        else o.log.warn(`commit on ${o.topic} failed`, err)
      }
    })
    return committing
  }
  // At most one prompt commit scheduled or running; what was answered meanwhile is
  // committed right after it (the tracker knows whether anything is left).
  let commitTimer: NodeJS.Timeout | undefined
  let committingSoon = false
  const commitSoon = () => {
    if (committingSoon || stopping) return
    committingSoon = true
    commitTimer = setTimeout(() => {
      void commit().finally(() => {
        committingSoon = false
        if (tracker.movable()) commitSoon()
      })
    }, Math.max(COMMIT_AFTER_MS, retryAt - Date.now()))
  }

  async function eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    let heartbeatError: unknown
    // Waiting for a slot can take as long as the slowest job: keep our group membership meanwhile.
    const beat = setInterval(() => heartbeat().catch((err: unknown) => (heartbeatError ??= err)), HEARTBEAT_TICK_MS)
    const stop = () => stopping || heartbeatError !== undefined || !isRunning() || isStale()
    let lastYield = performance.now()
    try {
      for (const m of batch.messages) {
        if (stop()) break
        await slots.acquire()
        if (stop()) {
          slots.release()
          break
        }
        const answered = tracker.start(batch.partition, m.offset)
        commitSoon() // the started count goes out too: it is no longer backlog
        let released = false
        const release = () => {
          if (!released) slots.release()
          released = true
        }
        const p: Promise<void> = answer(m, batch.partition, release)
          // Not answered (the reply could not be produced): never marked, so never committed.
          .then(() => {
            answered()
            commitSoon()
          }, (err: unknown) => o.log.error(`message ${o.topic}/${batch.partition}@${m.offset} not answered`, err))
          .finally(() => {
            release()
            inFlight.delete(p)
          })
        inFlight.add(p)
        // Started, so not fetched again by this node; committed only once answered.
        resolveOffset(m.offset)
        // Cheap jobs run back to back; after ~1 ms of work, yield once so replies, fetches
        // and heartbeats get their turn (yielding per job costs an event-loop turn per job).
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          await new Promise((r) => setImmediate(r))
          lastYield = performance.now()
        }
      }
    } finally {
      clearInterval(beat)
    }
    if (heartbeatError !== undefined) throw heartbeatError // kafkajs rejoins the group
  }

  // kafkajs rejoins right after this event; a commit sent now still carries the old
  // generation, which the coordinator accepts while the rebalance gathers members. What
  // is answered by then is not redone by the partitions' next owners.
  consumer.on(consumer.events.REBALANCING, () => void commit())
  consumer.on(consumer.events.GROUP_JOIN, () => tracker.reset())
  consumer.on(consumer.events.CRASH, (e) => {
    if (!e.payload.restart) o.onFatal(e.payload.error)
    else o.log.warn(`consumer of ${o.topic} restarting after an error`, e.payload.error)
  })
  try {
    await consumer.connect()
    await consumer.subscribe({ topic: o.topic, fromBeginning: true })
    const joined = waitForJoin(consumer, `${o.groupId} on ${o.topic}`)
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: o.partitions, eachBatch })
    await joined
  } catch (err) {
    // No stop() handle reaches the caller: left connected, the consumer would keep
    // restarting and hold the process open.
    stopping = true
    await consumer.disconnect().catch((e: unknown) => o.log.warn(`disconnecting the consumer of ${o.topic} failed`, e))
    throw err
  }

  let stopped: Promise<void> | undefined
  return {
    stats,
    stop: () =>
      (stopped ??= (async () => {
        stopping = true
        // Still a member (heartbeating) while the last jobs finish, so their commits count.
        consumer.pause([{ topic: o.topic }])
        while (inFlight.size > 0) await Promise.allSettled([...inFlight])
        clearTimeout(commitTimer)
        await commit()
        await consumer.disconnect()
      })()),
  }
}
