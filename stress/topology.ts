// Starts the system under test for one run: a single node, or a master with N worker
// processes, on a fresh namespace so runs never share queues or keys. Only the contract
// (Driver.serve) is used.
import { randomBytes } from 'node:crypto'
import type { MiddlewareName, RunningNode } from '../core/contract.ts'
import { loadDriver, needsBroker } from '../core/drivers.ts'
import { UnavailableError } from '../core/errors.ts'
import { createLogger } from '../core/log.ts'

const log = createLogger('topology')

export interface StartedNode {
  node: RunningNode
  address: string
  broker?: string
  namespace: string
  /** Stops the node(s), then drops the namespace. Never throws: a node that fails to stop is logged, so it costs no result already measured. */
  close(): Promise<void>
}

const WORKERS_READY_TIMEOUT_MS = 60_000

function freshNamespace(): string {
  return `st${Date.now().toString(36)}${randomBytes(2).toString('hex')}`
}

/**
 * The broker a queue middleware uses: the flag, else the env var, else a local broker that
 * mwlab starts now if it is not running yet (`up` is idempotent). It stays up for the next
 * run; `mwlab brokers down` stops it.
 */
async function brokerFor(mw: MiddlewareName, flag?: string): Promise<string | undefined> {
  if (!needsBroker(mw)) return undefined
  if (flag) return flag
  const { up } = await import('../brokers/index.ts')
  const [status] = await up({ only: [mw] })
  return status.url
}

/**
 * Removes what a run's fresh namespace left on the broker, once its nodes are closed. A
 * failure costs no result: it is logged, and the broker's own expiry is the fallback.
 */
async function dropNamespace(mw: MiddlewareName, broker: string | undefined, namespace: string): Promise<void> {
  const driver = await loadDriver(mw)
  if (!broker || !driver.dropNamespace) return
  await driver.dropNamespace(broker, namespace).catch((err: unknown) => log.warn(`could not remove namespace ${namespace} from the ${mw} broker`, err))
}

/** What to start: one node serving alone, or a master with worker processes. */
export interface Topology {
  /** worker processes behind a master; 0: a single node */
  workers: number
  /** jobs a worker runs at once */
  jobConcurrency?: number
  /** worker processes the master keeps started and idle for a quick scale-up */
  spareWorkers?: number
  /** the most workers the master will run: no spares are loaded beyond it */
  maxWorkers?: number
  /** broker URL (else the env var, else a local broker started now) */
  broker?: string
}

/** `--nodes N` of stress and bench: 1 is a single node, more is a master with N workers. */
export function topologyOf(nodes: number, broker?: string): Topology {
  return { workers: nodes > 1 ? nodes : 0, broker }
}

/**
 * Starts the node(s) on a fresh namespace and, for a master, waits until its workers have
 * registered. Whatever fails on the way, what was started is stopped and the namespace dropped.
 */
export async function startNode(mw: MiddlewareName, t: Topology): Promise<StartedNode> {
  const driver = await loadDriver(mw)
  const broker = await brokerFor(mw, t.broker)
  const namespace = freshNamespace()
  let node: RunningNode | undefined
  try {
    node = await driver.serve(t.workers > 0 ? 'master' : 'single', {
      port: 0,
      broker,
      namespace,
      workers: t.workers,
      jobConcurrency: t.jobConcurrency,
      spareWorkers: t.spareWorkers,
      maxWorkers: t.maxWorkers,
    })
    if (t.workers > 0) await waitForWorkers(node, t.workers)
  } catch (err) {
    await node?.close().catch((e: unknown) => log.warn(`stopping a ${mw} node that failed to start`, e))
    await dropNamespace(mw, broker, namespace)
    throw err
  }
  const running = node
  return {
    node: running,
    address: running.address,
    broker,
    namespace,
    async close() {
      await running.close().catch((err: unknown) => log.error(`stopping the ${mw} node (${t.workers} workers) failed`, err))
      await dropNamespace(mw, broker, namespace)
    },
  }
}

async function waitForWorkers(node: RunningNode, n: number): Promise<void> {
  const end = Date.now() + WORKERS_READY_TIMEOUT_MS
  for (;;) {
    const live = (await node.workers()).length
    if (live >= n) return
    if (Date.now() > end) throw new UnavailableError(`only ${live} of ${n} workers registered within ${WORKERS_READY_TIMEOUT_MS} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
