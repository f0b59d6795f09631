// Topic and group names of one namespace, and their explicit creation: a lab must not
// depend on auto-creation (off on most real clusters) nor on its defaults (1 partition).
import type { Admin, ITopicConfig } from 'kafkajs'

/** Partitions of the jobs topic: the most workers that can share the load at once. */
export const JOB_PARTITIONS = 12
/** Clients pick one at random and read only it, so a client rarely sees others' replies. */
export const REPLY_PARTITIONS = 12
/** The store owner is one consumer; a few partitions let it fetch several clients' requests at once. */
export const REQUEST_PARTITIONS = 4

export interface Topics {
  requests: string
  jobs: string
  trending: string
  dlq: string
  /** Replies to every client; each client reads one partition of it (kafka/group.ts). */
  replies: string
  /** Consumer group of the store owner (single or master). */
  storeGroup: string
  /** Consumer group the workers compete in for jobs. */
  workerGroup: string
}

export function topicsOf(ns: string): Topics {
  return {
    requests: `${ns}.requests`,
    jobs: `${ns}.jobs`,
    trending: `${ns}.trending`,
    dlq: `${ns}.dlq`,
    replies: `${ns}.replies`,
    storeGroup: `${ns}.store`,
    workerGroup: `${ns}.workers`,
  }
}

/** Replication factor for new topics: 3 where the cluster has 3 brokers, else all it has. */
export async function replicationFactor(admin: Admin): Promise<number> {
  const { brokers } = await admin.describeCluster()
  return Math.min(3, brokers.length)
}

/** Short-lived data (replies, broadcasts) need not outlive a run by much. */
export const SHORT_RETENTION = [{ name: 'retention.ms', value: String(10 * 60_000) }]

/**
 * Creates the topics that are missing (others keep their settings) and waits until every
 * partition answers. Several nodes starting at once may race to create them: losing that
 * race is fine.
 */
export async function ensureTopics(admin: Admin, wanted: ITopicConfig[]): Promise<void> {
  const existing = new Set(await admin.listTopics())
  const missing = wanted.filter((t) => !existing.has(t.topic))
  if (missing.length === 0) return
  try {
    // kafkajs's own waitForLeaders gives up when a broker has not heard of the topic yet
    // (UNKNOWN_TOPIC_OR_PARTITION), which happens on multi-broker clusters; we wait below.
    await admin.createTopics({ topics: missing, waitForLeaders: false })
  } catch (err) {
    const now = new Set(await admin.listTopics())
    if (!missing.every((t) => now.has(t.topic))) throw err
  }
  // A topic is usable once every partition's leader can list its offsets.
  for (const t of missing) await untilReady(() => admin.fetchTopicOffsets(t.topic), `topic ${t.topic}`)
}

async function untilReady(probe: () => Promise<unknown>, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs
  for (;;) {
    try {
      await probe()
      return
    } catch (err) {
      if (Date.now() > end) throw new Error(`${what} not ready after ${timeoutMs} ms`, { cause: err })
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}

export function serverTopics(t: Topics, rf: number): ITopicConfig[] {
  return [
    { topic: t.requests, numPartitions: REQUEST_PARTITIONS, replicationFactor: rf },
    { topic: t.jobs, numPartitions: JOB_PARTITIONS, replicationFactor: rf },
    { topic: t.replies, numPartitions: REPLY_PARTITIONS, replicationFactor: rf, configEntries: SHORT_RETENTION },
    { topic: t.trending, numPartitions: 1, replicationFactor: rf, configEntries: SHORT_RETENTION },
    { topic: t.dlq, numPartitions: 1, replicationFactor: rf },
  ]
}
