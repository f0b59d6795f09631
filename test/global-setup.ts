// Vitest global setup: makes sure the brokers the queue middlewares need are running, and
// hands their URLs to the tests (`inject('brokers')`). Env URLs (REDIS_URL, AMQP_URL,
// KAFKA_BROKERS) win; brokers started by `mwlab brokers up` are reused; missing ones are
// started here and stopped after the last overlapping test run (brokers/test-runs.ts).
// MWLAB_TEST_BROKERS=redis,rabbitmq restricts which ones (default: all three). A broker
// that fails to start fails the run; nothing is skipped.
import type { TestProject } from 'vitest/node'
import { BROKER_NAMES, brokerUrl, type BrokerName } from '../brokers/index.ts'
import { acquireForTests } from '../brokers/test-runs.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Broker URLs; '' for a broker left out by MWLAB_TEST_BROKERS and not otherwise running. */
    brokers: { redis: string; amqp: string; kafka: string }
  }
}

function selected(): BrokerName[] {
  const raw = process.env.MWLAB_TEST_BROKERS
  if (raw === undefined) return [...BROKER_NAMES]
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean)
  const bad = names.filter((n) => !(BROKER_NAMES as readonly string[]).includes(n))
  if (bad.length) throw new Error(`MWLAB_TEST_BROKERS: unknown broker ${bad.join(',')}; expected a subset of ${BROKER_NAMES.join(',')}`)
  return names as BrokerName[]
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = (msg: string) => process.stderr.write(`[global-setup] ${msg}\n`)
  const { list, release } = await acquireForTests({ only: selected(), log })
  const urlOf = (name: BrokerName): string => list.find((s) => s.name === name)?.url ?? optionalUrl(name)
  project.provide('brokers', { redis: urlOf('redis'), amqp: urlOf('rabbitmq'), kafka: urlOf('kafka') })
  for (const s of list) log(`${s.name} ${s.url}${s.external ? ' (external)' : ''}`)
  return release
}

/** A broker not selected for this run: its URL when one happens to be available, else ''. */
function optionalUrl(name: BrokerName): string {
  try {
    return brokerUrl(name)
  } catch {
    return ''
  }
}
