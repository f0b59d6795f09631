// What a result must say about where it was measured (DESIGN section 3): machine, Node,
// client library and broker versions, payload, codec, nodes, cost. Broker versions are
// asked from the broker only where that is one cheap round trip.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import type { MiddlewareName } from '../core/contract.ts'
import type { Cost } from '../core/schemas.ts'
import { createLogger } from '../core/log.ts'

const log = createLogger('stress')
const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** The client library each middleware's driver is built on. */
export const CLIENT_LIBRARIES: Record<MiddlewareName, string[]> = {
  rpc: ['json-rpc-2.0', 'undici'],
  grpc: ['@grpc/grpc-js', '@grpc/proto-loader'],
  redis: ['ioredis'],
  rabbitmq: ['amqplib'],
  kafka: ['kafkajs'],
}

/** How each middleware encodes messages on the wire (as its driver documents it). */
export const CODECS: Record<MiddlewareName, 'json' | 'protobuf'> = {
  rpc: 'json',
  grpc: 'protobuf',
  redis: 'json',
  rabbitmq: 'json',
  kafka: 'json',
}

export interface Environment {
  host: { cores: number; cpuModel: string; totalMemMb: number; platform: string; arch: string; release: string; loadAvg: number[] }
  node: string
  v8: string
  mwlab: { version: string; commit?: string }
  /** Versions from node_modules/<pkg>/package.json: the harness's and the middleware's own libraries. */
  libraries: Record<string, string>
  broker?: { url: string; version?: string }
  payload: { kind: string; meanTextBytes?: number }
  codec: 'json' | 'protobuf'
  nodes: number
  cost: Cost
  loadWorkers: number
  /** Facts a reader must know to read the numbers right (e.g. the 2-core cap). */
  notes: string[]
}

export function packageVersion(pkg: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(`${ROOT}node_modules/${pkg}/package.json`, 'utf8')) as { version?: string }).version
  } catch {
    return undefined
  }
}

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()
  } catch {
    return undefined
  }
}

/** A URL without its password, fit for a results file. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@')
}

export interface EnvironmentInput {
  middleware: MiddlewareName
  nodes: number
  payload: string
  meanTextBytes?: number
  cost: Cost
  loadWorkers: number
  broker?: string
  brokerVersion?: string
  batch?: boolean
}

export function collectEnvironment(i: EnvironmentInput): Environment {
  const cpus = os.cpus()
  const libs = ['hdr-histogram-js', 'autocannon', ...CLIENT_LIBRARIES[i.middleware]]
  const libraries: Record<string, string> = {}
  for (const l of libs) libraries[l] = packageVersion(l) ?? 'unknown'
  const cores = cpus.length
  const notes: string[] = []
  if (cores <= 4) {
    notes.push(
      `${cores} cores shared by everything in the run (server nodes, load generator, broker) and anything else running: CPU-bound work cannot speed up beyond ${cores}x, I/O-bound work can.`,
    )
  }
  if (i.batch && i.middleware === 'rpc') {
    notes.push('rpc client batching on: calls made at the same moment travel as one JSON-RPC batch, answered when its slowest call is done (latency includes that wait).')
  }
  if (i.batch && i.middleware === 'grpc') {
    notes.push('grpc client streaming on: moderate calls share one bidirectional stream per node instead of one unary call each.')
  }
  return {
    host: {
      cores,
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      totalMemMb: Math.round(os.totalmem() / 2 ** 20),
      platform: os.platform(),
      arch: os.arch(),
      release: os.release(),
      loadAvg: os.loadavg().map((x) => Math.round(x * 100) / 100),
    },
    node: process.version,
    v8: process.versions.v8,
    mwlab: { version: readOwnVersion(), commit: gitCommit() },
    libraries,
    broker: i.broker ? { url: redactUrl(i.broker), version: i.brokerVersion } : undefined,
    payload: { kind: i.payload, meanTextBytes: i.meanTextBytes },
    codec: CODECS[i.middleware],
    nodes: i.nodes,
    cost: i.cost,
    loadWorkers: i.loadWorkers,
    notes,
  }
}

function readOwnVersion(): string {
  try {
    return (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
}

/** The broker's own version, where one round trip gets it; undefined (logged) otherwise. */
export async function brokerVersion(mw: MiddlewareName, url: string): Promise<string | undefined> {
  try {
    if (mw === 'redis') {
      const { Redis } = await import('ioredis')
      const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
      try {
        await r.connect()
        const v = /redis_version:(\S+)/.exec(await r.info('server'))?.[1]
        return v ? `Redis ${v}` : undefined
      } finally {
        r.disconnect()
      }
    }
    if (mw === 'rabbitmq') {
      const amqp = await import('amqplib')
      const conn = await amqp.connect(url)
      try {
        const v = conn.connection.serverProperties.version
        return v ? `RabbitMQ ${v}` : undefined
      } finally {
        await conn.close()
      }
    }
    if (mw === 'kafka') {
      // Kafka has no cheap "version" request in kafkajs; a broker mwlab started runs the jars it pinned.
      const { externalUrl } = await import('../brokers/index.ts')
      if (externalUrl('kafka')) return undefined
      const { KAFKA_VERSION } = await import('../brokers/kafka/jars.ts')
      return `Apache Kafka ${KAFKA_VERSION} (local, pinned by brokers/kafka)`
    }
  } catch (err) {
    log.warn(`could not read the ${mw} broker version`, err)
  }
  return undefined
}
