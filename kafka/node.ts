// A Kafka node. single: owns the store (consumes `<ns>.requests`), works jobs (member of
// `<ns>.workers` on `<ns>.jobs`) and broadcasts trending on `<ns>.trending`. master: owns
// the store and broadcasts; its workers (processes it supervises, or started by hand) are
// the job consumers. worker: only jobs.
import { hostname } from 'node:os'
import { randomUUID } from 'node:crypto'
import { startBroadcaster, type Broadcaster } from '../core/broadcaster.ts'
import type { NodeOptions, NodeRole, RunningNode, WorkerInfo } from '../core/contract.ts'
import { ValidationError } from '../core/errors.ts'
import { createLogger } from '../core/log.ts'
import { ReviewService } from '../core/service.ts'
import { Supervisor, workerSettings } from '../cluster/supervisor.ts'
import { checkNamespace, DEFAULT_NAMESPACE, formatAddress, parseAddress, parseBrokers, type KafkaAddress } from './address.ts'
import { BatchProducer } from './batch-producer.ts'
import { encode } from './codec.ts'
import { makeKafka, toUnavailable } from './connection.ts'
import { startConsumeLoop, type ConsumeLoop, type LoopStats } from './consume-loop.ts'
import { ensureTopics, JOB_PARTITIONS, replicationFactor, REQUEST_PARTITIONS, serverTopics, topicsOf } from './topics.ts'

/** Jobs in progress at once on one node, like RabbitMQ's prefetch: I/O-bound jobs overlap, a full node stops taking more. */
export const JOB_CONCURRENCY = Number(process.env.MWLAB_KAFKA_JOB_CONCURRENCY ?? 16)
/** Store operations are in-memory and quick; this only bounds memory. */
const REQUEST_CONCURRENCY = 64

export interface KafkaNode extends RunningNode {
  /** The master's worker processes (absent on single and worker nodes); fault tests kill through it. */
  readonly supervisor?: Supervisor
  stats(): { requests?: LoopStats; jobs?: LoopStats }
}

/** Where a node's broker and namespace come from: its options, else (for a worker) its master's address. */
export function resolveAddress(role: NodeRole, opts: NodeOptions): KafkaAddress {
  const master = role === 'worker' && opts.master ? parseAddress(opts.master, opts.namespace ?? DEFAULT_NAMESPACE) : undefined
  const brokers = opts.broker ? parseBrokers(opts.broker) : master?.brokers
  if (!brokers) throw new ValidationError('broker', 'a Kafka node needs --broker host:port[,host:port] (or KAFKA_BROKERS)')
  // A worker joins its master's namespace: the CLI fills --namespace with a default even when not given.
  const namespace = master?.namespace ?? checkNamespace(opts.namespace ?? DEFAULT_NAMESPACE)
  return { brokers, namespace }
}

export async function serveKafka(role: NodeRole, opts: NodeOptions): Promise<KafkaNode> {
  const addr = resolveAddress(role, opts)
  const address = formatAddress(addr)
  const t = topicsOf(addr.namespace)
  const nodeId = opts.nodeId ?? `${role}-${hostname()}-${process.pid}-${randomUUID().slice(0, 6)}`
  const log = createLogger(`kafka ${role} ${addr.namespace}`)
  const kafka = makeKafka(addr.brokers, `mwlab-${nodeId}`)
  const admin = kafka.admin()
  const owner = role !== 'worker'
  // No jobConcurrency here: the consume loop's slots already bound the jobs this node runs.
  const service = new ReviewService({ bannedWords: opts.bannedWords })

  let settle: (err: Error | undefined) => void = () => undefined
  const closedP = new Promise<Error | undefined>((r) => (settle = r))
  let died: Error | undefined
  const onFatal = (err: Error) => {
    log.error('a consumer stopped for good; closing the node', err)
    died ??= err
    void node.close()
  }

  let producer: BatchProducer | undefined
  let requests: ConsumeLoop | undefined
  let jobs: ConsumeLoop | undefined
  let broadcaster: Broadcaster | undefined
  let supervisor: Supervisor | undefined
  let closing: Promise<void> | undefined

  const node: KafkaNode = {
    role,
    address,
    get supervisor() {
      return supervisor
    },
    async workers(): Promise<WorkerInfo[]> {
      return supervisor?.list() ?? []
    },
    async sparesLoaded() {
      await supervisor?.sparesLoaded()
    },
    async scaleTo(n: number) {
      if (!supervisor) throw new ValidationError('role', `only a master scales workers (this node is ${role})`)
      await supervisor.scaleTo(n)
    },
    /**
     * Jobs no worker has started: the workers' group lag on the jobs topic, less what each
     * partition's last commit says was already started past its offset (kafka/commit-tracker.ts).
     */
    async backlog() {
      const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(t.jobs), admin.fetchOffsets({ groupId: t.workerGroup, topics: [t.jobs] })])
      const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, p]))
      let waiting = 0
      for (const e of ends) {
        const c = done.get(e.partition)
        const at = c === undefined ? -1 : Number(c.offset)
        const lag = Math.max(0, Number(e.high) - (at < 0 ? Number(e.low) : at))
        const started = Number(c?.metadata ?? 0)
        waiting += Math.max(0, lag - (Number.isFinite(started) ? started : 0))
      }
      return waiting
    },
    stats: () => ({ requests: requests?.stats, jobs: jobs?.stats }),
    close() {
      closing ??= (async () => {
        // Workers first (each finishes and commits its jobs), then stop taking requests and
        // jobs here (in-flight ones are answered), then flush replies, then disconnect.
        await supervisor?.stopAll().catch((err: unknown) => log.error('stopping workers failed', err))
        broadcaster?.stop()
        const stopLoop = (loop: ConsumeLoop | undefined, what: string) => loop?.stop().catch((err: unknown) => log.warn(`stopping the ${what} consumer failed`, err))
        await Promise.all([stopLoop(requests, 'request'), stopLoop(jobs, 'job')])
        await producer?.close().catch((err: unknown) => log.warn('producer close failed', err))
        await admin.disconnect().catch(() => undefined)
        settle(died)
      })()
      return closing
    },
    closed: () => closedP,
  }

  try {
    try {
      await admin.connect()
    } catch (err) {
      throw toUnavailable(err, `Kafka at ${addr.brokers.join(',')} is unreachable`)
    }
    await ensureTopics(admin, serverTopics(t, await replicationFactor(admin)))
    producer = await BatchProducer.connect(kafka)
    const common = { kafka, dlqTopic: t.dlq, producer, log, onFatal }
    if (owner) {
      requests = await startConsumeLoop({
        ...common,
        groupId: t.storeGroup,
        topic: t.requests,
        concurrency: REQUEST_CONCURRENCY,
        partitions: REQUEST_PARTITIONS,
        handle: (env) => service.call(env.op, env.params),
      })
      const p = producer
      broadcaster = startBroadcaster(service.backend, (u) => p.send(t.trending, { value: encode(u) }), {
        intervalMs: opts.broadcastMs,
        onError: (err) => log.warn('trending broadcast failed', err),
      })
    }
    if (role !== 'master') {
      jobs = await startConsumeLoop({
        ...common,
        groupId: t.workerGroup,
        topic: t.jobs,
        concurrency: opts.jobConcurrency ?? JOB_CONCURRENCY,
        partitions: JOB_PARTITIONS,
        handle: (env) => service.callJob(env.op, env.params),
      })
    }
    if (role === 'master') {
      supervisor = new Supervisor({
        middleware: 'kafka',
        master: address,
        broker: addr.brokers.join(','),
        namespace: addr.namespace,
        ...workerSettings(opts),
      })
      if (opts.workers) await supervisor.start(opts.workers)
    }
    log.info(`${role} serving ${address}${opts.workers ? ` with ${opts.workers} worker(s)` : ''}`)
    return node
  } catch (err) {
    await node.close()
    throw err
  }
}
