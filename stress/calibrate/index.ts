// Calibration in the same run: what the bare client library and server do on this machine
// under the same load, so a middleware's throughput also reads as a fraction of it.
//   rpc       autocannon against the very JSON-RPC endpoint just measured (a POST with a
//             moderate body); plus mwlab's own generator with a bare HTTP client on the same
//             endpoint, against autocannon: the generator is not the bottleneck if that is ~1.
//   grpc      a bare grpc-js unary echo server and client (bytes in, bytes out).
//   redis     raw ioredis: LPUSH a request, the echo server pops batches (BLMPOP, the batched
//             BRPOP) and LPUSHes replies, the client pops its reply list the same way.
//   rabbitmq  raw amqplib: persistent request to a durable queue with publisher confirms,
//             echo consumer with manual ack replies to the client's replyTo queue.
//   kafka     raw kafkajs: produce to a request topic, an echo consumer group produces to a
//             reply topic the client consumes.
// Every baseline except autocannon runs through the same engine (stress/load-run.ts), load
// model and thread layout as the middleware, so only what the middleware adds differs.
import type { MiddlewareName } from '../../core/contract.ts'
import { createLogger } from '../../core/log.ts'
import { packageVersion } from '../environment.ts'
import { errorInfo, LoadRun, type LoadPlan, type RunHooks } from '../load-run.ts'
import type { LoadOutcome } from '../result.ts'
import type { RawBaseline, TargetSpec, Workload } from '../types.ts'
import { AutocannonRun } from './autocannon.ts'
import type { RawServer } from './raw.ts'
import type { BaselineName, BaselineResult, CalibrationEntry } from './types.ts'

const log = createLogger('calibrate')

export interface CalibrationInput {
  middleware: MiddlewareName
  /** The node just measured (rpc: its endpoint is the autocannon target). */
  server: string
  broker?: string
  plan: LoadPlan
  workload: Workload
}

export interface StressHooksLike extends RunHooks {
  onStage?: (stage: string) => void
}

const HTTP_WHAT = 'mwlab load generator + bare undici keep-alive client (the rpc driver\'s HTTP client), same endpoint and body'

interface RawSpec {
  name: BaselineName
  baseline: RawBaseline
  what: string
  libraries: string[]
  start(broker: string | undefined): Promise<RawServer>
}

const RAW: Record<Exclude<MiddlewareName, 'rpc'>, RawSpec> = {
  grpc: {
    name: 'grpc-echo',
    baseline: 'grpc',
    what: 'bare @grpc/grpc-js unary echo (identity-serialized bytes), server in the main thread',
    libraries: ['@grpc/grpc-js'],
    start: async () => (await import('./grpc-echo.ts')).startGrpcEcho(),
  },
  redis: {
    name: 'ioredis',
    baseline: 'redis',
    what: 'raw ioredis LPUSH request / echo server BLMPOP batch + LPUSH reply / client BLMPOP its reply list',
    libraries: ['ioredis'],
    start: async (broker) => (await import('./redis-raw.ts')).startRedisEcho(need(broker, 'redis')),
  },
  rabbitmq: {
    name: 'amqplib',
    baseline: 'rabbitmq',
    what: 'raw amqplib: persistent publish to a durable queue with publisher confirms, echo consumer (manual ack, prefetch) replies to replyTo',
    libraries: ['amqplib'],
    start: async (broker) => (await import('./amqp-raw.ts')).startAmqpEcho(need(broker, 'rabbitmq')),
  },
  kafka: {
    name: 'kafkajs',
    baseline: 'kafka',
    what: 'raw kafkajs: produce to a request topic, echo consumer group produces to a reply topic the client consumes',
    libraries: ['kafkajs'],
    start: async (broker) => (await import('./kafka-raw.ts')).startKafkaEcho(need(broker, 'kafka')),
  },
}

function need(broker: string | undefined, mw: string): string {
  if (!broker) throw new Error(`the ${mw} baseline needs the broker URL`)
  return broker
}

/**
 * The raw echo server of a queue middleware's or gRPC's baseline, and the load target that
 * drives it through the stress engine (here, and alone in scripts/raw-baseline.ts).
 */
export async function startRaw(mw: Exclude<MiddlewareName, 'rpc'>, broker: string | undefined, workload: Workload): Promise<{ server: RawServer; target: TargetSpec }> {
  const spec = RAW[mw]
  const server = await spec.start(broker)
  return { server, target: { kind: 'raw', baseline: spec.baseline, address: server.address, workload } }
}

/** A baseline run whose repetitions interleave with the middleware's. */
interface Contender {
  name: BaselineName
  warmup(): Promise<void>
  measure(index: number): Promise<void>
  result(): BaselineResult
  close(): Promise<void>
}

/**
 * Runs the middleware and its raw baseline(s) with interleaved repetitions (mw 1, baseline 1,
 * mw 2, baseline 2, ...), so load drift on a shared machine affects both alike and the
 * ratio compares like with like. Warm-ups all run first.
 */
export async function runCalibrated(target: TargetSpec, i: CalibrationInput, hooks: StressHooksLike = {}): Promise<{ outcome: LoadOutcome; calibration?: CalibrationEntry }> {
  let mw: LoadRun
  try {
    mw = await LoadRun.open(target, i.plan, hooks)
  } catch (err) {
    return { outcome: { state: 'failed', error: errorInfo(err), repetitions: [] } }
  }
  const contenders: Contender[] = []
  let server: RawServer | undefined
  let failedBaseline: BaselineResult | undefined
  try {
    if (i.middleware === 'rpc') {
      contenders.push(new AutocannonRun(i.server, i.plan, i.workload, hooks.signal))
      contenders.push(await rawContender('mwlab-http', HTTP_WHAT, [], { kind: 'raw', baseline: 'http', address: i.server, workload: i.workload }, i.plan, hooks))
    } else {
      const spec = RAW[i.middleware]
      try {
        const raw = await startRaw(i.middleware, i.broker, i.workload)
        const echo = (server = raw.server)
        const c = await rawContender(spec.name, spec.what, spec.libraries, raw.target, i.plan, hooks)
        // The echo server polls only during the baseline's own warm-up and windows.
        const awake = async (phase: () => Promise<void>) => {
          echo.resume?.()
          try {
            await phase()
          } finally {
            echo.pause?.()
          }
        }
        contenders.push({ ...c, warmup: () => awake(() => c.warmup()), measure: (r) => awake(() => c.measure(r)) })
        echo.pause?.()
      } catch (err) {
        log.warn(`${spec.name} baseline could not start`, err)
        failedBaseline = { name: spec.name, what: spec.what, state: 'failed', error: errorInfo(err) }
      }
    }
    hooks.onStage?.(`${i.middleware}: warm-up, then ${i.plan.repeat} repetition${i.plan.repeat === 1 ? '' : 's'} interleaved with ${contenders.map((c) => c.name).join(' and ') || 'no baseline'}`)
    await mw.warmup()
    for (const c of contenders) await c.warmup()
    for (let r = 0; r < i.plan.repeat && !hooks.signal?.aborted && !mw.failed; r++) {
      await mw.measure(r)
      for (const c of contenders) await c.measure(r)
    }
    const outcome = mw.outcome()
    const median = outcome.summary?.throughput.median
    const results = contenders.map((c) => c.result())
    if (server?.serverVersion && results[0]) results[0].versions = { ...results[0].versions, server: server.serverVersion }
    const baseline = failedBaseline ?? results[0]
    const own = outcome.repetitions.map((r) => r.throughput)
    const entry: CalibrationEntry = { baseline, ratio: ratio(median, baseline), pairedRatios: pairedRatios(own, baseline.repetitions) }
    if (i.middleware === 'rpc' && results[1]) {
      const [autocannon, mwlab] = results
      entry.generator = { mwlab, autocannon, ratio: ratio(mwlab.throughput?.median, autocannon), pairedRatios: pairedRatios(mwlab.repetitions, autocannon.repetitions) }
    }
    return { outcome, calibration: entry }
  } finally {
    await mw.close()
    for (const c of contenders) await c.close()
    await server?.close().catch((err: unknown) => log.warn('closing the raw echo server failed', err))
  }
}

async function rawContender(name: BaselineName, what: string, libraries: string[], target: TargetSpec, plan: LoadPlan, hooks: RunHooks): Promise<Contender> {
  const versions: Record<string, string> = {}
  for (const l of libraries) versions[l] = packageVersion(l) ?? 'unknown'
  let run: LoadRun | undefined
  let error: BaselineResult['error']
  try {
    run = await LoadRun.open(target, plan, { signal: hooks.signal, onProgress: hooks.onProgress })
  } catch (err) {
    error = errorInfo(err)
  }
  return {
    name,
    warmup: async () => run?.warmup(),
    measure: async (i) => run?.measure(i),
    result() {
      if (!run) return { name, what, state: 'failed', error, versions }
      const o = run.outcome()
      return { name, what, state: o.state, error: o.error, throughput: o.summary?.throughput, repetitions: o.repetitions.map((r) => r.throughput), latency: o.summary?.latency, accounting: o.summary?.accounting, cpu: o.summary?.cpu, versions }
    },
    close: async () => run?.close(),
  }
}

/** x / base to three decimals; undefined when either is missing or zero. */
function ratioOf(x: number | undefined, base: number | undefined): number | undefined {
  return x && base ? Math.round((x / base) * 1000) / 1000 : undefined
}

/** Round by round while both sides have a repetition (one that failed stops contributing); a round the baseline completed nothing in is left out. */
export function pairedRatios(xs: number[] = [], bases: number[] = []): number[] {
  const out: number[] = []
  for (let k = 0; k < Math.min(xs.length, bases.length); k++) if (bases[k] > 0) out.push(ratioOf(xs[k], bases[k]) ?? 0)
  return out
}

function ratio(median: number | undefined, b: BaselineResult): number | undefined {
  return ratioOf(median, b.throughput?.median)
}
