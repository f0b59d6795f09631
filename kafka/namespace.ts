// Removes a namespace's topics and server groups from the cluster: for tests and harness
// runs (Driver.dropNamespace), which use a fresh namespace each, so a long-lived broker does
// not pile up partitions run after run. Not done on node close: a node's topics must
// survive it (a restarted master resumes).
import { setTimeout as sleep } from 'node:timers/promises'
import type { Admin, KafkaJSDeleteGroupsError } from 'kafkajs'
import { UnavailableError } from '../core/errors.ts'
import { parseBrokers } from './address.ts'
import { makeKafka } from './connection.ts'
import { topicsOf } from './topics.ts'

/** Kafka's error codes for a group that cannot be deleted yet, and for one already gone. */
const NON_EMPTY_GROUP = 68
const GROUP_ID_NOT_FOUND = 69
/** Longer than the groups' session timeout, after which a member that never left is dropped. */
const GROUPS_EMPTY_WITHIN_MS = 15_000

export async function deleteNamespace(broker: string, namespace: string): Promise<void> {
  const t = topicsOf(namespace)
  const admin = makeKafka(parseBrokers(broker), 'mwlab-cleanup').admin()
  await admin.connect()
  try {
    const mine = new Set([t.requests, t.jobs, t.trending, t.dlq, t.replies])
    const topics = (await admin.listTopics()).filter((x) => mine.has(x))
    if (topics.length) await admin.deleteTopics({ topics })
    const groups = new Set([t.storeGroup, t.workerGroup])
    const present = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => groups.has(g))
    if (present.length) await deleteGroups(admin, present)
  } finally {
    await admin.disconnect()
  }
}

/**
 * Deletes the groups, waiting for a member still leaving: a consumer that just closed may
 * not have left its group yet (its LeaveGroup under way, or a rebalance), and a group with
 * members cannot be deleted.
 */
async function deleteGroups(admin: Admin, groups: string[]): Promise<void> {
  const end = Date.now() + GROUPS_EMPTY_WITHIN_MS
  for (let left = groups; ; ) {
    try {
      await admin.deleteGroups(left)
      return
    } catch (err) {
      // By name: kafkajs's errors are no named exports Node's ESM loader can see.
      if (!(err instanceof Error && err.name === 'KafkaJSDeleteGroupsError')) throw err
      const failed = (err as KafkaJSDeleteGroupsError).groups.filter((g) => g.errorCode !== GROUP_ID_NOT_FOUND)
      if (failed.length === 0) return
      const waitable = failed.every((g) => g.errorCode === NON_EMPTY_GROUP)
      if (!waitable || Date.now() > end) {
        throw new UnavailableError(`could not delete consumer groups ${failed.map((g) => `${g.groupId} (${g.error?.type ?? g.errorCode})`).join(', ')}`, { cause: err })
      }
      left = failed.map((g) => g.groupId)
      await sleep(250)
    }
  }
}
