// Consumer-group helpers. kafkajs has no manual partition assignment, so a client that
// wants to read one partition, or read from "now", does it through its own one-member group:
// a fixed assigner hands the member exactly the partitions it asked for, and a seek moves
// it to the end offsets taken before it joined.
import { AssignerProtocol, type Admin, type Consumer, type PartitionAssigner } from 'kafkajs'
import { UnavailableError } from '../core/errors.ts'

export interface PartitionOffset {
  partition: number
  offset: string
}

/** The current end of `topic` (only `partitions` when given): where a reader of "from now on" starts. */
export async function endOffsets(admin: Admin, topic: string, partitions?: number[]): Promise<PartitionOffset[]> {
  const offsets = await admin.fetchTopicOffsets(topic)
  return offsets.filter((o) => !partitions || partitions.includes(o.partition)).map((o) => ({ partition: o.partition, offset: o.high }))
}

/**
 * Moves a running consumer to offsets taken before it joined. A fresh group would start at
 * whatever the end is when its first fetch happens, later than run() returns, so a reply
 * or update produced in between would be skipped; seeking back to the earlier end closes that gap.
 */
export function seekTo(consumer: Consumer, topic: string, offsets: PartitionOffset[]): void {
  for (const o of offsets) consumer.seek({ topic, partition: o.partition, offset: o.offset })
}

/** An assigner for a group of one: its member gets exactly `partitions` of `topic`. */
export function fixedAssigner(topic: string, partitions: number[]): PartitionAssigner {
  const name = 'MwlabFixed'
  return () => ({
    name,
    version: 0,
    async assign({ members }) {
      return members.map((m, i) => ({
        memberId: m.memberId,
        // A second member (never expected) gets nothing rather than a share of our replies.
        memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: i === 0 ? { [topic]: partitions } : {}, userData: Buffer.alloc(0) }),
      }))
    },
    protocol({ topics }) {
      return { name, metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) }
    },
  })
}

/**
 * Resolves when the consumer has joined its group and got partitions; rejects when it
 * crashes for good first, or after `timeoutMs`. A crash kafkajs restarts from (a retriable
 * error, such as a coordinator still loading on a broker that just started) is not the end:
 * the restarted consumer tries to join again.
 */
export function waitForJoin(consumer: Consumer, what: string, timeoutMs = 60_000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup()
      reject(new UnavailableError(`${what}: no consumer-group join within ${timeoutMs} ms`))
    }, timeoutMs)
    const offJoin = consumer.on(consumer.events.GROUP_JOIN, () => {
      cleanup()
      resolve()
    })
    const offCrash = consumer.on(consumer.events.CRASH, (e) => {
      if (e.payload.restart) return
      cleanup()
      reject(new UnavailableError(`${what}: consumer crashed before joining: ${e.payload.error.message}`, { cause: e.payload.error }))
    })
    function cleanup() {
      clearTimeout(timer)
      offJoin()
      offCrash()
    }
  })
}
