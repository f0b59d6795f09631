// The stress engine: start the system under test (or use a given node), run the load,
// optionally calibrate against the raw client library in the same run, and return a
// typed result. It prints nothing: the CLI renders results (table.ts) and progress.
import { randomUUID } from 'node:crypto'
import type { MiddlewareName } from '../core/contract.ts'
import { loadDriver, needsBroker } from '../core/drivers.ts'
import { createLogger } from '../core/log.ts'
import { runCalibrated } from './calibrate/index.ts'
import { brokerVersion, collectEnvironment, type Environment } from './environment.ts'
import { findMax, type FindMaxOptions, type FindMaxReport } from './find-max.ts'
import { errorInfo, runLoad, type LoadPlan, type RunHooks } from './load-run.ts'
import { seedReviews } from './operations.ts'
import { payloadPool } from './payload.ts'
import type { CalibrationEntry } from './calibrate/types.ts'
import { RESULT_SCHEMA, type LoadOutcome, type RunSpec, type StressResult } from './result.ts'
import { startNode, topologyOf, type StartedNode } from './topology.ts'
import type { TargetSpec, Workload } from './types.ts'

const log = createLogger('stress')
/** Reviews stored before measuring the read ops, so they read real data. */
const SEED_REVIEWS = 1000

export interface StressHooks extends RunHooks {
  /** Calibrate against the raw client library in the same run (closed loop only). */
  calibrate?: boolean
  findMax?: FindMaxOptions
  /** Human-readable stage changes ("starting rpc", "calibrating"), for the progress display. */
  onStage?: (stage: string) => void
  /** spec.server is a node running in this process (bench starts one and reuses it), so its CPU is counted. */
  serverInProcess?: boolean
}

export function workloadOf(spec: RunSpec): Workload {
  return { op: spec.op, payload: spec.payload, cost: spec.cost, seed: spec.seed, batch: spec.batch }
}

export function planOf(spec: RunSpec): LoadPlan {
  return {
    load: spec.load,
    warmupMs: spec.warmupMs,
    durationMs: spec.durationMs,
    repeat: spec.repeat,
    timeoutMs: spec.timeoutMs,
    graceMs: spec.graceMs,
    loadWorkers: spec.loadWorkers,
    seed: spec.seed,
  }
}

export async function runStress(spec: RunSpec, hooks: StressHooks = {}): Promise<StressResult> {
  const createdAt = new Date().toISOString()
  const workload = workloadOf(spec)
  const mode: StressResult['mode'] = hooks.findMax ? 'find-max' : spec.load.mode
  let started: StartedNode | undefined
  let environment: Environment = environmentFor(spec, spec.broker)
  const base = () => ({
    schema: RESULT_SCHEMA as typeof RESULT_SCHEMA,
    id: randomUUID(),
    createdAt,
    finishedAt: new Date().toISOString(),
    middleware: spec.middleware,
    op: spec.op,
    mode,
    spec,
    environment,
  })
  try {
    hooks.onStage?.(spec.server ? `using ${spec.server}` : `starting ${spec.middleware} (${spec.nodes > 1 ? `master + ${spec.nodes} workers` : 'single node'})`)
    let server = spec.server
    if (!server) {
      started = await startNode(spec.middleware, topologyOf(spec.nodes, spec.broker))
      server = started.address
    }
    // A node given by address names its broker: calibration and the broker's CPU need it.
    const broker = started?.broker ?? spec.broker ?? (await brokerOfAddress(spec.middleware, server))
    environment = environmentFor(spec, broker, broker ? await brokerVersion(spec.middleware, broker) : undefined)
    const plan: LoadPlan = { ...planOf(spec), brokerPids: await brokerPidsOf(spec.middleware, broker) }
    if (spec.op === 'listReviews' || spec.op === 'trending') {
      hooks.onStage?.(`storing ${SEED_REVIEWS} reviews to read`)
      await seed(spec, server, workload)
    }
    const target: TargetSpec = { kind: 'driver', middleware: spec.middleware, server, workload }
    let outcome: LoadOutcome
    let extra: { findMax?: FindMaxReport; calibration?: CalibrationEntry } = {}
    if (hooks.findMax) {
      const fm = await findMax(target, plan, hooks.findMax, hooks)
      // The result's repetitions and summary are those of the highest rate that held.
      const best: LoadOutcome = fm.best ?? { state: 'partial', reason: fm.reason ?? 'no rate tried held', repetitions: [] }
      outcome = fm.state === 'partial' ? { ...best, state: 'partial', reason: fm.reason } : best
      extra = { findMax: fm.report }
    } else {
      hooks.onStage?.(`${spec.middleware} ${spec.op}: ${describeLoad(spec)}`)
      if (hooks.calibrate && spec.load.mode === 'closed') {
        const c = await runCalibrated(target, { middleware: spec.middleware, server, broker, plan, workload }, hooks)
        outcome = c.outcome
        extra = { calibration: c.calibration }
      } else outcome = await runLoad(target, plan, hooks)
    }
    // The meter counts this process's tree: a node given by address is in it only when bench started it here.
    if (outcome.summary?.cpu) outcome.summary.cpu.nodeCounted = !spec.server || hooks.serverInProcess === true
    return { ...base(), ...stateOf(outcome), ...extra }
  } catch (err) {
    log.debug('stress run failed', err)
    return { ...base(), state: 'failed', error: errorInfo(err), repetitions: [] }
  } finally {
    await started?.close()
  }
}

/** The broker a queue middleware's node address points at; undefined for rpc and grpc, or an address that names none. */
async function brokerOfAddress(mw: MiddlewareName, address: string): Promise<string | undefined> {
  const driver = await loadDriver(mw)
  try {
    return driver.brokerOf?.(address)
  } catch {
    return undefined // not an address of this middleware: connecting will say so
  }
}

/** The processes of the run's broker, when it is the one mwlab started (their CPU is then recorded). */
async function brokerPidsOf(mw: MiddlewareName, broker: string | undefined): Promise<number[] | undefined> {
  if (!broker || !needsBroker(mw)) return undefined
  const { localBrokerPids } = await import('../brokers/index.ts')
  return localBrokerPids(mw, broker)
}

export function describeLoad(spec: RunSpec): string {
  return spec.load.mode === 'closed' ? `closed loop, ${spec.load.concurrency} in flight` : `open loop, ${spec.load.rate} ops/s`
}

function environmentFor(spec: RunSpec, broker?: string, version?: string): Environment {
  return collectEnvironment({
    middleware: spec.middleware,
    nodes: spec.nodes,
    payload: spec.payload,
    meanTextBytes: payloadPool(spec.payload, spec.seed).meanTextBytes,
    cost: spec.cost,
    loadWorkers: spec.loadWorkers,
    broker,
    brokerVersion: version,
    batch: spec.batch,
  })
}

/** The state-keyed part of a result from a load outcome. */
export function stateOf(o: LoadOutcome) {
  const common = { warmup: o.warmup, repetitions: o.repetitions }
  if (o.state === 'completed' && o.summary) return { ...common, state: 'completed' as const, summary: o.summary }
  if (o.state === 'failed') return { ...common, state: 'failed' as const, error: o.error ?? { code: 'UNKNOWN', message: 'failed' }, summary: o.summary }
  return { ...common, state: 'partial' as const, reason: o.reason ?? 'incomplete', summary: o.summary }
}

async function seed(spec: RunSpec, server: string, workload: Workload): Promise<void> {
  const driver = await loadDriver(spec.middleware)
  const client = await driver.connect({ server, timeoutMs: spec.timeoutMs })
  try {
    await seedReviews(client, workload, SEED_REVIEWS)
  } finally {
    await client.close()
  }
}
