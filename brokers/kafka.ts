// Apache Kafka 3.9 (KRaft, no ZooKeeper) as local JVM processes: jars from Maven Central
// (brokers/kafka/jars.ts), one combined broker+controller per node on mwlab's own ports,
// detached so the cluster outlives `mwlab brokers up`. One node by default, three with
// kafkaNodes 3 (RF 3, min ISR 2: one node may die without losing acknowledged writes).
import { spawn } from 'node:child_process'
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Kafka, logLevel } from 'kafkajs'
import { bootstrapOf, clientPorts, controllerPorts, DEFAULT_LAYOUT, jvmArgs, log4jProperties, newClusterId, serverProperties, type KafkaLayout } from './kafka/config.ts'
import { ensureKafkaJars, KAFKA_ALTERNATIVES, KAFKA_VERSION, requireJava } from './kafka/jars.ts'
import { isAlive, notStartedDetail, portInUse, spawnDetached, tail, terminate, waitUntil, type Started } from './proc.ts'
import { readBrokerState, writeBrokerState } from './state.ts'
import { BrokerUnavailableError, type BrokerContext, type BrokerStatus, type LocalBroker } from './types.ts'

export { KAFKA_VERSION } from './kafka/jars.ts'

export interface KafkaBrokerOptions {
  /** Client port of node 0 (nodes use the next ones). Default env MWLAB_KAFKA_PORT, else 19092. */
  basePort?: number
  /** Controller port of node 0. Default basePort + 100. */
  controllerBasePort?: number
  readyTimeoutMs?: number
  /** SIGTERM grace before SIGKILL on down. */
  stopGraceMs?: number
}

/** Every node's command line contains this, so `down` never signals a pid reused by something else. */
const MAIN_CLASS = 'kafka.Kafka'

export function createKafkaBroker(opts: KafkaBrokerOptions = {}): LocalBroker {
  const basePort = opts.basePort ?? Number(process.env.MWLAB_KAFKA_PORT ?? DEFAULT_LAYOUT.basePort)
  const controllerBasePort = opts.controllerBasePort ?? basePort + (DEFAULT_LAYOUT.controllerBasePort - DEFAULT_LAYOUT.basePort)
  const readyTimeoutMs = opts.readyTimeoutMs ?? 90_000
  const stopGraceMs = opts.stopGraceMs ?? 20_000
  const layoutOf = (nodes: 1 | 3): KafkaLayout => ({ nodes, basePort, controllerBasePort })
  const kafkaDir = (ctx: BrokerContext) => join(ctx.runDir, 'kafka')
  /** A cluster waitReady (or status) has just seen whole. */
  const runningStatus = (ctx: BrokerContext, url: string, pids: number[], nodes: number): BrokerStatus => ({
    name: 'kafka',
    url,
    running: true,
    external: false,
    pids,
    detail: `Kafka ${KAFKA_VERSION}, ${nodes} node(s), KRaft, data in ${kafkaDir(ctx)}`,
  })

  async function status(ctx: BrokerContext): Promise<BrokerStatus> {
    const rec = readBrokerState(ctx.runDir, 'kafka')
    if (!rec) {
      const detail = await notStartedDetail(basePort, 'KAFKA_BROKERS', 'not running')
      return { name: 'kafka', url: bootstrapOf(layoutOf(ctx.kafkaNodes)), running: false, external: false, detail }
    }
    const nodes = Number(rec.extra?.nodes ?? rec.pids.length)
    const alive = rec.pids.filter((p) => isAlive(p, MAIN_CLASS))
    if (alive.length === 0) return { name: 'kafka', url: rec.url, running: false, external: false, detail: `stale: pids ${rec.pids.join(',')} gone` }
    const seen = await brokersSeen(rec.url)
    if (alive.length === rec.pids.length && seen === nodes) return runningStatus(ctx, rec.url, alive, nodes)
    const detail = `${alive.length}/${rec.pids.length} node processes up, ${seen}/${nodes} brokers in the cluster`
    return { name: 'kafka', url: rec.url, running: false, external: false, pids: alive, detail }
  }

  async function up(ctx: BrokerContext): Promise<BrokerStatus> {
    const current = await status(ctx)
    const rec = readBrokerState(ctx.runDir, 'kafka')
    const recordedNodes = Number(rec?.extra?.nodes ?? 0)
    if (current.pids?.length && recordedNodes !== ctx.kafkaNodes) {
      throw new BrokerUnavailableError('kafka', `Kafka is already running here with ${recordedNodes} node(s), not ${ctx.kafkaNodes}; run \`mwlab brokers down\` first`)
    }
    if (current.running) return current
    if (rec && current.pids?.length === rec.pids.length) {
      // All our processes are up, the cluster is still forming (another `up` a moment ago).
      await waitReady(rec.url, ctx.kafkaNodes, rec.pids.map((pid) => ({ pid })), kafkaDir(ctx), readyTimeoutMs)
      return runningStatus(ctx, rec.url, rec.pids, ctx.kafkaNodes)
    }
    if (current.pids?.length) {
      ctx.log(`kafka: a node of the recorded cluster died; restarting the whole cluster`)
      await terminate(current.pids, stopGraceMs, ctx.log)
    }
    return start(ctx)
  }

  async function start(ctx: BrokerContext): Promise<BrokerStatus> {
    const t0 = Date.now()
    const layout = layoutOf(ctx.kafkaNodes)
    const java = requireJava()
    const libs = await ensureKafkaJars(ctx.log)
    for (const port of [...clientPorts(layout), ...controllerPorts(layout)]) {
      if (await portInUse(port)) {
        throw new BrokerUnavailableError('kafka', `port ${port} is taken by another process; set MWLAB_KAFKA_PORT to a free base port, ${KAFKA_ALTERNATIVES}`)
      }
    }
    const dir = kafkaDir(ctx)
    // A fresh cluster every start: a lab broker holds only what a run puts there, and a
    // new cluster id needs empty log dirs anyway.
    rmSync(dir, { recursive: true, force: true })
    const clusterId = newClusterId()
    const classpath = join(libs, '*')
    const nodeDirs = clientPorts(layout).map((_, i) => join(dir, `node-${i}`))
    nodeDirs.forEach((nd, i) => {
      mkdirSync(nd, { recursive: true })
      writeFileSync(join(nd, 'server.properties'), serverProperties(layout, i, join(nd, 'data')))
      writeFileSync(join(nd, 'log4j.properties'), log4jProperties(join(nd, 'server.log')))
    })
    ctx.log(`kafka: formatting ${layout.nodes} KRaft node(s) (cluster id ${clusterId}) under ${dir}`)
    await Promise.all(nodeDirs.map((nd) => formatStorage(java, classpath, clusterId, nd)))
    const started: Started[] = nodeDirs.map((nd) =>
      spawnDetached(java, [...jvmArgs(join(nd, 'log4j.properties')), '-cp', classpath, MAIN_CLASS, join(nd, 'server.properties')], {
        cwd: nd,
        env: process.env,
        logFile: join(nd, 'stdout.log'),
      }),
    )
    const url = bootstrapOf(layout)
    writeBrokerState(ctx.runDir, 'kafka', {
      url,
      pids: started.map((s) => s.pid),
      ports: [...clientPorts(layout), ...controllerPorts(layout)],
      startedAt: new Date().toISOString(),
      extra: { nodes: layout.nodes, clusterId, dir, version: KAFKA_VERSION },
    })
    ctx.log(`kafka: started pids ${started.map((s) => s.pid).join(',')}; waiting for ${layout.nodes} broker(s) at ${url}`)
    try {
      await waitReady(url, layout.nodes, started, dir, readyTimeoutMs)
    } catch (err) {
      // Half a cluster is no use to anyone: stop the nodes that did start.
      await terminate(started.map((s) => s.pid).filter((p) => isAlive(p)), stopGraceMs, ctx.log)
      writeBrokerState(ctx.runDir, 'kafka', undefined)
      throw err
    }
    ctx.log(`kafka: ready at ${url} in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
    // Not status(): asking the cluster again right after waitReady saw it whole could time out
    // on a loaded machine and report a ready cluster as not running.
    return runningStatus(ctx, url, started.map((s) => s.pid), layout.nodes)
  }

  async function down(ctx: BrokerContext): Promise<void> {
    const rec = readBrokerState(ctx.runDir, 'kafka')
    if (!rec) return
    const alive = rec.pids.filter((p) => isAlive(p, MAIN_CLASS))
    if (alive.length) {
      ctx.log(`kafka: stopping pids ${alive.join(',')}`)
      await terminate(alive, stopGraceMs, ctx.log)
    }
    writeBrokerState(ctx.runDir, 'kafka', undefined)
    // Logs stay for a post-mortem; the data dirs can be large and are useless without the cluster.
    const dir = String(rec.extra?.dir ?? kafkaDir(ctx))
    const nodes = Number(rec.extra?.nodes ?? rec.pids.length)
    for (let i = 0; i < nodes; i++) rmSync(join(dir, `node-${i}`, 'data'), { recursive: true, force: true })
  }

  return { name: 'kafka', envVar: 'KAFKA_BROKERS', up, down, status }
}

export const kafkaBroker = createKafkaBroker()

/** `kafka.tools.StorageTool format`: writes meta.properties with the cluster id into the node's log dir. */
function formatStorage(java: string, classpath: string, clusterId: string, nodeDir: string): Promise<void> {
  const logFile = join(nodeDir, 'format.log')
  const fd = openSync(logFile, 'w')
  // A short-lived tool: C1 only and serial GC make the JVM start about twice as fast.
  const args = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xmx256m', `-Dlog4j.configuration=file:${join(nodeDir, 'log4j.properties')}`, '-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', join(nodeDir, 'server.properties')]
  return new Promise<void>((resolve, reject) => {
    const child = spawn(java, args, { cwd: nodeDir, stdio: ['ignore', fd, fd] })
    child.once('error', (err) => reject(new BrokerUnavailableError('kafka', `could not run ${java}: ${err.message}`, { cause: err })))
    child.once('exit', (code) => {
      if (code === 0) resolve()
      else reject(new BrokerUnavailableError('kafka', `formatting Kafka storage failed (exit ${code}):\n${tail(logFile)}`))
    })
  }).finally(() => closeSync(fd))
}

async function waitReady(url: string, nodes: number, started: Pick<Started, 'pid' | 'exit'>[], dir: string, timeoutMs: number): Promise<void> {
  await waitUntil(
    async () => {
      const dead = started.findIndex((s) => s.exit || !isAlive(s.pid))
      if (dead >= 0) {
        const nd = join(dir, `node-${dead}`)
        throw new BrokerUnavailableError('kafka', `Kafka node ${dead} exited during startup; last lines of its logs:\n${tail(join(nd, 'stdout.log'))}\n${tail(join(nd, 'server.log'))}`)
      }
      return (await brokersSeen(url)) === nodes
    },
    {
      timeoutMs,
      intervalMs: 300,
      onTimeout: () => new BrokerUnavailableError('kafka', `Kafka did not form a ${nodes}-node cluster at ${url} within ${timeoutMs} ms; see ${dir}/node-*/server.log:\n${tail(join(dir, 'node-0', 'server.log'))}`),
    },
  )
}

/** How many brokers the cluster at `url` reports (0 when unreachable): ready means all of them. */
export async function brokersSeen(url: string): Promise<number> {
  const kafka = new Kafka({ clientId: 'mwlab-brokers', brokers: url.split(','), logLevel: logLevel.NOTHING, connectionTimeout: 1000, requestTimeout: 3000, retry: { retries: 0 } })
  const admin = kafka.admin()
  try {
    await admin.connect()
    const cluster = await admin.describeCluster()
    // A controller must be elected too, or topic creation would still fail.
    return cluster.controller === null ? 0 : cluster.brokers.length
  } catch {
    return 0 // refused or not ready yet: the caller reports it with the node's log
  } finally {
    await admin.disconnect().catch(() => undefined)
  }
}
