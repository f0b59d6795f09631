// The local Kafka broker's lifecycle on ports of its own (not the default 19092, which a
// test run's global setup may be using): up, idempotent up, status, down, for one node and
// for a three-node KRaft cluster whose topics get 3 replicas and min.insync.replicas 2.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Kafka, logLevel } from 'kafkajs'
import { afterAll, describe, expect, it } from 'vitest'
import { createKafkaBroker } from './kafka.ts'
import { ensureKafkaJars, requireJava } from './kafka/jars.ts'
import { isAlive } from './proc.ts'
import { BrokerUnavailableError, type BrokerContext, type LocalBroker } from './types.ts'

const runDir = mkdtempSync(join(tmpdir(), 'mwlab-kafka-test-'))
const started: { broker: LocalBroker; ctx: BrokerContext }[] = []

function setup(nodes: 1 | 3, basePort: number) {
  const broker = createKafkaBroker({ basePort, controllerBasePort: basePort + 50 })
  const ctx: BrokerContext = { runDir: join(runDir, `n${nodes}`), kafkaNodes: nodes, log: (m) => process.stderr.write(`[kafka test] ${m}\n`) }
  started.push({ broker, ctx })
  return { broker, ctx }
}

afterAll(async () => {
  // Whatever a failed test left running.
  for (const { broker, ctx } of started) await broker.down(ctx)
  rmSync(runDir, { recursive: true, force: true })
})

/** createTopics, then wait until every partition has a leader (kafkajs's waitForLeaders gives up too early on fresh clusters). */
async function createTopic(admin: ReturnType<Kafka['admin']>, topic: string, numPartitions: number): Promise<void> {
  await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: false })
  for (let i = 0; ; i++) {
    try {
      await admin.fetchTopicOffsets(topic)
      return
    } catch (err) {
      if (i > 150) throw err
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}

async function withAdmin<T>(url: string, fn: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const admin = new Kafka({ clientId: 'kafka-broker-test', brokers: url.split(','), logLevel: logLevel.NOTHING }).admin()
  await admin.connect()
  try {
    return await fn(admin)
  } finally {
    await admin.disconnect()
  }
}

describe('local kafka broker', () => {
  it('one node: up, up again (same pids), status, down', { timeout: 240_000 }, async () => {
    const { broker, ctx } = setup(1, 28092)
    const s = await broker.up(ctx)
    expect(s).toMatchObject({ name: 'kafka', url: '127.0.0.1:28092', running: true, external: false })
    expect(s.pids).toHaveLength(1)
    const props = readFileSync(join(ctx.runDir, 'kafka', 'node-0', 'server.properties'), 'utf8')
    expect(props).toContain('advertised.listeners=PLAINTEXT://127.0.0.1:28092')
    expect(props).toContain('group.initial.rebalance.delay.ms=0')

    const t0 = Date.now()
    const again = await broker.up(ctx)
    expect(again.pids).toEqual(s.pids)
    process.stderr.write(`[kafka test] warm no-op up took ${Date.now() - t0} ms\n`)

    const topics = await withAdmin(s.url, async (admin) => {
      await createTopic(admin, 'roundtrip', 12)
      return admin.listTopics()
    })
    expect(topics).toContain('roundtrip')
    await expect(broker.up({ ...ctx, kafkaNodes: 3 })).rejects.toThrow(/already running here with 1 node/)

    await broker.down(ctx)
    expect(s.pids!.every((p) => !isAlive(p))).toBe(true)
    expect(await broker.status(ctx)).toMatchObject({ running: false })
    expect(existsSync(join(ctx.runDir, 'kafka', 'node-0', 'server.log'))).toBe(true) // logs are kept
    await broker.down(ctx) // idempotent
  })

  it('three nodes: one cluster, topics replicated 3 ways with min ISR 2', { timeout: 300_000 }, async () => {
    const { broker, ctx } = setup(3, 28300)
    const s = await broker.up(ctx)
    expect(s).toMatchObject({ url: '127.0.0.1:28300,127.0.0.1:28301,127.0.0.1:28302', running: true })
    expect(s.pids).toHaveLength(3)
    const { replicas, minIsr, brokers } = await withAdmin(s.url, async (admin) => {
      await createTopic(admin, 'replicated', 3)
      const meta = await admin.fetchTopicMetadata({ topics: ['replicated'] })
      const cfg = await admin.describeConfigs({ resources: [{ type: 2, name: 'replicated', configNames: ['min.insync.replicas'] }], includeSynonyms: false })
      return {
        replicas: meta.topics[0]!.partitions.map((p) => p.replicas.length),
        minIsr: cfg.resources[0]!.configEntries[0]!.configValue,
        brokers: (await admin.describeCluster()).brokers.length,
      }
    })
    expect(brokers).toBe(3)
    expect(replicas).toEqual([3, 3, 3])
    expect(minIsr).toBe('2')
    await broker.down(ctx)
    expect(s.pids!.every((p) => !isAlive(p))).toBe(true)
  })
})

describe('kafka broker prerequisites', () => {
  it('says how to get java and mvn when they are missing', async () => {
    const saved = { PATH: process.env.PATH, JAVA_HOME: process.env.JAVA_HOME, MWLAB_CACHE_DIR: process.env.MWLAB_CACHE_DIR }
    process.env.PATH = join(runDir, 'empty-path')
    delete process.env.JAVA_HOME
    process.env.MWLAB_CACHE_DIR = join(runDir, 'empty-cache') // no jars cached, so mvn would be needed
    try {
      expect(() => requireJava()).toThrow(BrokerUnavailableError)
      expect(() => requireJava()).toThrow(/openjdk-17-jre-headless.*KAFKA_BROKERS/)
      await expect(ensureKafkaJars(() => {})).rejects.toThrow(/mvn not found.*apt-get install maven.*KAFKA_BROKERS/)
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k]
        else process.env[k] = v
      }
    }
  })
})
