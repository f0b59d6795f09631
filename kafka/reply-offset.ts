// The committed offset of a client's reply partition, kept by the client itself. kafkajs's
// auto-commit sends an offset commit after every fetched batch: about one per reply at low
// concurrency, each a write to __consumer_offsets that cost the broker ~10 % of its CPU per
// job (README). The offset is read only when the client's one-member group rejoins: reading
// resumes from it, and replies read twice are dropped as duplicates. Once a second is enough.
import type { Consumer } from 'kafkajs'
import type { Logger } from '../core/log.ts'
import { atMost } from '../core/time-limit.ts'
import { refusedByRebalance } from './connection.ts'

export const REPLY_COMMIT_MS = 1000
/**
 * Until the first commit lands, tried this often: a group that rejoins with no committed
 * offset starts at the end of the partition and would skip the replies in between.
 */
const FIRST_COMMIT_RETRY_MS = 100

export interface ReplyOffset {
  /** Replies up to and including `offset` were read. */
  read(offset: string): void
  /** Stops committing; waits briefly for a commit under way, so none runs after disconnect. */
  stop(): Promise<void>
}

/** Starts committing `start` (where reading began), then the offset after the last reply read. */
export function commitReplyOffset(consumer: Consumer, topic: string, partition: number, start: string, log: Logger): ReplyOffset {
  let next = BigInt(start)
  let committed: bigint | undefined
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  // Only what the broker acknowledged counts: kafkajs's commitOffsets returns without
  // committing (and without an error) while the consumer is not running, e.g. restarting.
  const offAck = consumer.on(consumer.events.COMMIT_OFFSETS, (e) => {
    for (const t of e.payload.topics) {
      if (t.topic !== topic) continue
      for (const p of t.partitions) if (Number(p.partition) === partition) committed = BigInt(String(p.offset))
    }
  })
  const commit = async () => {
    if (next === committed) return
    try {
      await consumer.commitOffsets([{ topic, partition, offset: next.toString() }])
    } catch (err) {
      if (refusedByRebalance(err)) log.debug('reply offset commit refused: the group is rebalancing', err)
      else log.warn('committing the reply offset failed', err)
    }
  }
  let committing: Promise<void> = Promise.resolve()
  const tick = () => {
    committing = commit().finally(() => {
      if (!stopped) timer = setTimeout(tick, committed === undefined ? FIRST_COMMIT_RETRY_MS : REPLY_COMMIT_MS).unref()
    })
  }
  tick()
  return {
    read(offset) {
      // Never backwards: after a rejoin kafkajs reads again from an older committed offset.
      const after = BigInt(offset) + 1n
      if (after > next) next = after
    },
    async stop() {
      stopped = true
      clearTimeout(timer)
      await atMost(committing, 1000)
      offAck()
    },
  }
}
