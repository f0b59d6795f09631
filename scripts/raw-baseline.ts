// A raw client-library baseline alone, the one `mwlab stress` interleaves with a middleware
// (stress/calibrate): for measuring it without the middleware's windows around it, e.g. its
// CPU per call with scripts/cpu-by-process.ts in a second shell.
//   node --import tsx scripts/raw-baseline.ts <grpc|redis|rabbitmq|kafka> [CONCURRENCY=1024] [SECONDS=10]
// Complex payload, closed loop, 2 s warm-up; the broker as `mwlab stress` finds it
// (REDIS_URL, AMQP_URL, KAFKA_BROKERS or `mwlab brokers up`). Prints calls/s.
import { resolveBroker } from '../cli/broker-url.ts'
import { startRaw } from '../stress/calibrate/index.ts'
import { LoadRun } from '../stress/load-run.ts'

const MIDDLEWARES = ['grpc', 'redis', 'rabbitmq', 'kafka'] as const
type Mw = (typeof MIDDLEWARES)[number]

const [mw, concurrency = '1024', seconds = '10'] = process.argv.slice(2)
if (!MIDDLEWARES.includes(mw as Mw) || !(Number(concurrency) >= 1) || !(Number(seconds) > 0)) {
  console.error(`usage: raw-baseline.ts <${MIDDLEWARES.join('|')}> [CONCURRENCY=1024] [SECONDS=10]`)
  process.exit(2)
}
const broker = mw === 'grpc' ? undefined : await resolveBroker(mw as Mw)
const workload = { op: 'moderate', payload: 'complex', cost: { cpuMicros: 0, ioMillis: 0 }, seed: 1 } as const
const { server, target } = await startRaw(mw as Mw, broker, workload)
const run = await LoadRun.open(target, {
  load: { mode: 'closed', concurrency: Number(concurrency) },
  warmupMs: 2000,
  durationMs: Number(seconds) * 1000,
  repeat: 1,
  loadWorkers: 1,
  seed: 1,
  timeoutMs: 5000,
  graceMs: 5000,
})
try {
  server.resume?.()
  await run.warmup()
  console.error(`${mw} raw baseline: measuring ${seconds} s from ${new Date().toISOString()}`)
  await run.measure(0)
  const o = run.outcome()
  console.log(`${mw} raw baseline, ${concurrency} in flight: ${Math.round(o.summary?.throughput.median ?? 0)} calls/s (${o.state})`)
} finally {
  await run.close()
  await server.close()
}
