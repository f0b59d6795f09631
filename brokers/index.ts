// Local broker lifecycle: start, stop and find the Redis, RabbitMQ and Kafka servers the
// queue middlewares talk to. A broker given through its env var (REDIS_URL, AMQP_URL,
// KAFKA_BROKERS) is external: used as is, never started or stopped here.
import { connect } from 'node:net'
import { createLogger } from '../core/log.ts'
import { isAlive } from './proc.ts'
import { defaultRunDir, readBrokerState, withLock } from './state.ts'
import { BROKER_NAMES, BrokerUnavailableError, type BrokerContext, type BrokerName, type BrokerStatus, type LocalBroker } from './types.ts'

export { BROKER_NAMES, BrokerUnavailableError, defaultRunDir }
export type { BrokerName, BrokerStatus, LocalBroker }

export const ENV_VARS: Record<BrokerName, LocalBroker['envVar']> = { redis: 'REDIS_URL', rabbitmq: 'AMQP_URL', kafka: 'KAFKA_BROKERS' }

// Loaded on demand: `--only redis` never loads (or needs) the Kafka code.
const LOADERS: Record<BrokerName, () => Promise<LocalBroker>> = {
  redis: async () => (await import('./redis.ts')).redisBroker,
  rabbitmq: async () => (await import('./rabbitmq.ts')).rabbitBroker,
  kafka: async () => (await import('./kafka.ts')).kafkaBroker,
}

export interface BrokerOptions {
  /** Which brokers; default all three. */
  only?: readonly BrokerName[]
  kafkaNodes?: 1 | 3
  /** Default `.mwlab/brokers` under the repo root, or env MWLAB_RUN_DIR. */
  runDir?: string
  /** Progress lines; default stderr through core/log.ts. */
  log?: (msg: string) => void
  /** Replaces the default broker of a name (tests use this for non-default ports). */
  brokers?: Partial<Record<BrokerName, LocalBroker>>
}

/** The env var's value when the user gave one (empty counts as unset). */
export function externalUrl(name: BrokerName): string | undefined {
  return process.env[ENV_VARS[name]] || undefined
}

/** Starts every selected broker that is neither external nor already running; waits until all are ready. */
export async function up(opts: BrokerOptions = {}): Promise<BrokerStatus[]> {
  return forEach(opts, async (b, ctx) => {
    const url = externalUrl(b.name)
    if (!url) return withLock(ctx.runDir, b.name, () => b.up(ctx))
    const s = await externalStatus(b.name, url)
    if (!s.running) throw new BrokerUnavailableError(b.name, `${ENV_VARS[b.name]}=${url} is set but ${s.detail?.split('; ')[1]}; start that server, or unset ${ENV_VARS[b.name]} to let mwlab start one`)
    return s
  })
}

/** Stops what mwlab started (whatever the env vars say); external and system brokers are never touched. */
export async function down(opts: BrokerOptions = {}): Promise<void> {
  await forEach(opts, (b, ctx) =>
    withLock(ctx.runDir, b.name, async () => {
      await b.down(ctx)
      return b.status(ctx)
    }),
  )
}

export async function status(opts: BrokerOptions = {}): Promise<BrokerStatus[]> {
  return forEach(opts, (b, ctx) => {
    const url = externalUrl(b.name)
    return url ? externalStatus(b.name, url) : b.status(ctx)
  })
}

/**
 * The processes of the broker mwlab started for `name`, when `url` is that broker's; undefined
 * for any other (external or system) broker, whose processes mwlab does not know.
 */
export function localBrokerPids(name: BrokerName, url: string, opts: { runDir?: string } = {}): number[] | undefined {
  let rec
  try {
    rec = readBrokerState(opts.runDir ?? defaultRunDir(), name)
  } catch {
    return undefined // a corrupt state file: `brokers up` says what to do; a measurement need not
  }
  if (!rec || rec.url !== url) return undefined
  const pids = rec.pids.filter((p) => isAlive(p))
  return pids.length ? pids : undefined
}

/**
 * Where a middleware finds its broker: the env var, else the broker `mwlab brokers up`
 * started (recorded in the run dir). Throws BrokerUnavailableError saying how to get one.
 */
export function brokerUrl(name: BrokerName, opts: { runDir?: string } = {}): string {
  const ext = externalUrl(name)
  if (ext) return ext
  const runDir = opts.runDir ?? defaultRunDir()
  const rec = readBrokerState(runDir, name)
  if (rec && rec.pids.some((p) => isAlive(p))) return rec.url
  const why = rec ? `the ${name} broker mwlab started (pid ${rec.pids.join(',')}) is gone` : `no ${name} broker is running`
  throw new BrokerUnavailableError(name, `${why}: run \`mwlab brokers up --only ${name}\` (state in ${runDir}), or set ${ENV_VARS[name]} to a running server`)
}

async function forEach(opts: BrokerOptions, fn: (b: LocalBroker, ctx: BrokerContext) => Promise<BrokerStatus>): Promise<BrokerStatus[]> {
  const log = opts.log ?? createLogger('brokers').info
  const ctx: BrokerContext = { runDir: opts.runDir ?? defaultRunDir(), kafkaNodes: opts.kafkaNodes ?? 1, log }
  const names = BROKER_NAMES.filter((n) => !opts.only || opts.only.includes(n))
  // In parallel: RabbitMQ and Kafka each take seconds to boot, mostly waiting.
  const results = await Promise.allSettled(names.map(async (n) => fn(opts.brokers?.[n] ?? (await LOADERS[n]()), ctx)))
  const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []))
  if (failed.length === 1) throw failed[0]
  if (failed.length > 1) throw new AggregateError(failed, failed.map((e) => (e as Error).message).join('\n'))
  return results.map((r) => (r as PromiseFulfilledResult<BrokerStatus>).value)
}

/** An external broker: reported, probed with a TCP connect, never managed. */
async function externalStatus(name: BrokerName, url: string): Promise<BrokerStatus> {
  const { host, port } = firstHostPort(name, url)
  const reachable = await tcpReachable(host, port)
  return { name, url, running: reachable, external: true, detail: `from ${ENV_VARS[name]}${reachable ? '' : `; ${host}:${port} unreachable`}` }
}

function firstHostPort(name: BrokerName, url: string): { host: string; port: number } {
  const defaults = { redis: 6379, rabbitmq: 5672, kafka: 9092 }
  const first = url.split(',')[0]!.trim()
  const parsed = new URL(first.includes('://') ? first : `kafka://${first}`)
  return { host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || defaults[name]) }
}

function tcpReachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 })
    socket.once('connect', () => (socket.destroy(), resolve(true)))
    socket.once('timeout', () => (socket.destroy(), resolve(false)))
    socket.once('error', () => resolve(false))
  })
}
