// mwlab stress <middleware...|all>: trustworthy throughput and tail latency, side by side.
// The engine (stress/engine.ts) measures; this file parses flags, shows progress on stderr,
// writes one JSON file per run and prints the table (or the JSON with --json) on stdout.
import { Command, InvalidArgumentError, Option } from 'commander'
import { MIDDLEWARES, type MiddlewareName } from '../core/contract.ts'
import type { Cost } from '../core/schemas.ts'
import { runStress } from '../stress/engine.ts'
import { DEFAULT_OUT_DIR, writeResult } from '../stress/output.ts'
import { progressBar } from '../stress/progress.ts'
import { runLabel, type RunSpec, type StressResult } from '../stress/result.ts'
import { calibrationTable, cpuTable, findMaxTable, resultsTable } from '../stress/table.ts'
import { STRESS_OPS, type LoadMode, type StressOp } from '../stress/types.ts'
import { exitCodeOf, withInterrupt } from './interrupt.ts'
import { durationOption, parseDuration, parseIntOption, parseMiddlewares, parsePositiveDuration, parsePositiveInt, parsePositiveNumber } from './options.ts'

/** "cpu=200,io=5" -> { cpuMicros: 200, ioMillis: 5 }; either part may be left out. */
export function parseCost(v: string): Cost {
  const cost: Cost = { cpuMicros: 0, ioMillis: 0 }
  for (const part of v.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(cpu|io)=(\d+)$/.exec(part)
    if (!m) throw new InvalidArgumentError('expected cpu=MICROSECONDS,io=MILLISECONDS, e.g. cpu=200,io=5')
    if (m[1] === 'cpu') cost.cpuMicros = Number(m[2])
    else cost.ioMillis = Number(m[2])
  }
  return cost
}

export interface StressFlags {
  op: StressOp
  mode: LoadMode
  concurrency: number
  rate: number
  duration: number
  warmup: number
  repeat: number
  nodes: number
  payload: 'simple' | 'complex'
  cost: Cost
  timeout: number
  grace?: number
  loadWorkers: number
  batch?: boolean
  seed: number
  server?: string
  broker?: string
}

export function specFrom(mw: MiddlewareName, o: StressFlags): RunSpec {
  return {
    middleware: mw,
    op: o.op,
    load: o.mode === 'open' ? { mode: 'open', rate: o.rate } : { mode: 'closed', concurrency: o.concurrency },
    durationMs: o.duration,
    warmupMs: o.warmup,
    repeat: o.repeat,
    timeoutMs: o.timeout,
    graceMs: o.grace ?? o.timeout,
    nodes: o.nodes,
    payload: o.payload,
    cost: o.cost,
    loadWorkers: o.loadWorkers,
    batch: o.batch,
    seed: o.seed,
    server: o.server,
    broker: o.broker,
  }
}

/** Options shared by `stress` and `bench`. */
export function addLoadOptions(cmd: Command, defaults: { duration: string; repeat: number }): Command {
  return cmd
    .addOption(durationOption('--duration <time>', 'measured time per repetition (500ms, 10s, 1m)', parseDuration(defaults.duration), parsePositiveDuration))
    .addOption(durationOption('--warmup <time>', 'warm-up before measuring, not recorded', 2000))
    .option('--repeat <n>', 'measured repetitions (median and spread are reported)', parsePositiveInt, defaults.repeat)
    .addOption(durationOption('--timeout <time>', 'a call answered later than this counts as timed out', 5000, parsePositiveDuration))
    .option('--grace <time>', 'after each window, wait this long for outstanding calls before counting them lost (default: --timeout)', parseDuration)
    .option('--load-workers <n>', 'worker threads generating load (0: in the main thread, next to the server)', parseIntOption, 1)
    .option('--seed <n>', 'seed of the payload generator', parseIntOption, 1)
    .option('--broker <url>', 'broker URL for the queue middlewares (default: env REDIS_URL/AMQP_URL/KAFKA_BROKERS or `mwlab brokers up`)')
    .option('--out <dir>', 'directory for the JSON result files', DEFAULT_OUT_DIR)
    .option('--json', 'print the result JSON on stdout instead of the table (an array when several runs)')
    .option('--no-progress', 'no progress bar on stderr')
    .option('--batch', 'let the client carry many calls per exchange where its protocol can (rpc: JSON-RPC batches; grpc: moderate on one bidirectional stream); off by default, so each call is its own exchange')
}


export function printResults(results: StressResult[], json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(results.length === 1 ? results[0] : results, null, 2) + '\n')
    return
  }
  const parts = [resultsTable(results)]
  for (const r of results) {
    const fm = findMaxTable(r)
    if (fm) parts.push(fm)
  }
  const cal = calibrationTable(results)
  if (cal) parts.push('calibration (same run; ratio = mwlab / raw baseline, medians; per round: the range of that ratio round by round)\n' + cal)
  const cpu = cpuTable(results)
  if (cpu) {
    parts.push(
      'cpu per completed call (µs, medians over repetitions; this process and those it started + the broker mwlab started; a node given with --server is not counted; x raw: total over the raw baseline\'s)\n' +
        cpu,
    )
  }
  // The table cuts long reasons; the whole of each (with its fix hint) goes below it.
  const failures = results.flatMap((r) => (r.state === 'failed' ? [`${runLabel(r)} failed: ${r.error.message}`] : []))
  if (failures.length) parts.push(failures.join('\n'))
  const notes = [...new Set(results.flatMap((r) => r.environment.notes))]
  if (notes.length) parts.push(notes.map((n) => `note: ${n}`).join('\n'))
  process.stdout.write(parts.join('\n\n') + '\n')
}


export function registerStress(program: Command): void {
  const cmd = program
    .command('stress')
    .description(
      'measure throughput and tail latency of one or more middlewares (closed or open loop), with accounting of every request and the CPU each call cost (Linux); writes one JSON file per run',
    )
    .argument('<middlewares...>', `${MIDDLEWARES.join(' | ')} | all (several allowed)`)
    .addOption(new Option('--op <op>', 'operation to stress').choices(STRESS_OPS).default('moderate'))
    .addOption(new Option('--mode <mode>', 'closed: fixed concurrency; open: fixed arrival rate, latency from the intended send time').choices(['closed', 'open']).default('closed'))
    .option('--concurrency <n>', 'closed loop: calls in flight', parsePositiveInt, 32)
    .option('--rate <ops>', 'open loop: arrivals per second (with --find-max: the first rate tried; if --rate is not given, a short closed-loop probe picks it)', parsePositiveNumber, 1000)
    .option('--nodes <n>', '1: a single node; N > 1: a master with N worker processes', parsePositiveInt, 1)
    .addOption(new Option('--payload <kind>', 'simple rating events or complex reviews (core/generator.ts)').choices(['simple', 'complex']).default('complex'))
    .addOption(new Option('--cost <cost>', 'moderate cost model: cpu=MICROSECONDS,io=MILLISECONDS').argParser(parseCost).default({ cpuMicros: 0, ioMillis: 0 }, 'cpu=0,io=0'))
    .option('--find-max', 'step the open-loop rate up until p99 passes --p99-bound or completions fall behind; report the highest sustainable rate')
    .addOption(durationOption('--p99-bound <time>', 'latency bound of --find-max', 50, parsePositiveDuration))
    .option('--no-calibrate', 'skip the raw client-library baseline (run by default for closed-loop runs)')
    .option('--server <address>', 'stress a node that is already running instead of starting one (one middleware only)')
  addLoadOptions(cmd, { duration: '10s', repeat: 3 })
  cmd.addHelpText(
    'after',
    `
Every request is accounted for: sent = ok + failed + timedOut + lost, duplicates apart.
Throughput counts ok completions only. Latency: HDR histogram in µs, merged across load
generator threads. Results: <out>/<date>-<middleware>-<op>-<mode>.json.

Examples:
  mwlab stress rpc --concurrency 64 --duration 10s
  mwlab stress all --op submitReview --payload simple --repeat 5
  mwlab stress redis --mode open --rate 5000 --duration 30s
  mwlab stress grpc --find-max --p99-bound 20ms
  mwlab stress rabbitmq --nodes 3 --cost cpu=500,io=2`,
  )
  cmd.action(async (names: string[], o: StressFlags & { findMax?: boolean; p99Bound: number; calibrate: boolean; out: string; json?: boolean; progress: boolean }) => {
    const mws = parseMiddlewares(names)
    if (o.server && mws.length > 1) throw new InvalidArgumentError('--server needs exactly one middleware')
    const view = progressBar(o.progress)
    const results: StressResult[] = []
    let interrupted = false
    await withInterrupt(async (signal) => {
      for (const mw of mws) {
        if (signal.aborted) break
        const r = await runStress(specFrom(mw, o), {
          signal,
          calibrate: o.calibrate && o.mode === 'closed' && !o.findMax,
          findMax: o.findMax ? { p99BoundMs: o.p99Bound, startRate: cmd.getOptionValueSource('rate') === 'cli' ? o.rate : undefined } : undefined,
          onStage: (s) => view.stage(s),
          onProgress: (p) => view.update(p),
        })
        view.stop()
        results.push(r)
        view.stage(`${mw}: ${r.state} -> ${writeResult(o.out, r)}`)
      }
      interrupted = signal.aborted
    })
    printResults(results, o.json === true)
    process.exitCode = exitCodeOf(results, interrupted)
  })
}
