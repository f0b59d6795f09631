// Removes a namespace's topics and server groups from the cluster: for tests and harness
// runs (Driver.dropNamespace), which use a fresh namespace each, so a long-lived broker does
// not pile up partitions run after run. Not done on node close: a node's topics must
// survive it (a restarted master resumes).
import { parseBrokers } from './address.ts'
import { makeKafka } from './connection.ts'
import { topicsOf } from './topics.ts'

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
    if (present.length) await admin.deleteGroups(present)
  } finally {
    await admin.disconnect()
  }
}
