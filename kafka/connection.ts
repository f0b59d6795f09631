// One place that builds kafkajs clients the way every part of this driver needs them:
// 127.0.0.1 brokers, quick failure when the broker is down, logs through core/log.ts, and
// consumer settings that keep group joins and rebalances quick in tests.
import { Kafka, logLevel, type ConsumerConfig, type LogEntry } from 'kafkajs'
import { MwlabError, UnavailableError } from '../core/errors.ts'
import { createLogger } from '../core/log.ts'

// kafkajs 2 warns once per process that its default partitioner changed; we pick it explicitly.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1'

const log = createLogger('kafkajs')

// Protocol errors kafkajs retries itself (NOT_LEADER, COORDINATOR_LOADING) and rejoins
// after a rebalance: expected whenever topics are new or members come and go.
const ROUTINE = /^(Response |The group is rebalancing)/

function logCreator() {
  return ({ level, log: entry }: LogEntry) => {
    const { message, ...extra } = entry
    // kafkajs reports every reconnect and rebalance as ERROR; they are routine here and
    // surface as typed errors where they matter, so they are warnings at most.
    if ((level === logLevel.ERROR || level === logLevel.WARN) && !ROUTINE.test(message)) log.warn(message, { broker: extra.broker, error: extra.error })
    else log.debug(message)
  }
}

export function makeKafka(brokers: string[], clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: process.env.MWLAB_LOG === 'debug' ? logLevel.DEBUG : logLevel.WARN,
    logCreator,
    connectionTimeout: 3000,
    requestTimeout: 30_000,
    // Used for connecting and by the admin client: an unreachable broker is reported within
    // seconds, not after kafkajs's default half minute. Consumers and producers set their own.
    retry: { initialRetryTime: 100, retries: 4, maxRetryTime: 1000 },
  })
}

/**
 * How often a group member heartbeats. A member learns of a rebalance (a worker joining or
 * leaving) from a heartbeat's answer, and kafkajs stops the whole group until every member
 * has rejoined, so this bounds how long a scale-up stalls the work queue.
 */
export const HEARTBEAT_INTERVAL_MS = 250

/** Group settings: a dead member is noticed in 10 s, a live one heartbeats every HEARTBEAT_INTERVAL_MS. */
export function consumerConfig(groupId: string, extra: Partial<ConsumerConfig> = {}): ConsumerConfig {
  return {
    groupId,
    sessionTimeout: 10_000,
    heartbeatInterval: HEARTBEAT_INTERVAL_MS,
    rebalanceTimeout: 20_000,
    maxWaitTimeInMs: 100,
    retry: { initialRetryTime: 100, retries: 10, maxRetryTime: 5000 },
    ...extra,
  }
}

/** How the coordinator refuses a commit from a member whose group is rebalancing. */
const REBALANCE_REFUSALS = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID'])

/**
 * A refusal is routine whenever group members come and go (the autoscaler's every step),
 * not a warning; kafkajs wraps it in a KafkaJSNonRetriableError, the protocol error as its cause.
 */
export function refusedByRebalance(err: unknown): boolean {
  const e = err as { type?: string; cause?: { type?: string } } | undefined
  return REBALANCE_REFUSALS.has(e?.cause?.type ?? e?.type ?? '')
}

/** Errors kafkajs throws when it cannot reach the cluster, as the contract's UnavailableError. */
export function toUnavailable(err: unknown, what: string): MwlabError {
  if (err instanceof MwlabError) return err
  const msg = err instanceof Error ? err.message : String(err)
  return new UnavailableError(`${what}: ${msg}`, { cause: err })
}
