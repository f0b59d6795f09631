// mwlab speedup <middlewares|all>: X(n), S(n), efficiency over 1..N worker nodes, with
// Amdahl and M/M/c laid over, for I/O-bound and/or CPU-bound jobs.
import { Command, InvalidArgumentError, Option } from 'commander'
import { formatSpeedup } from '../speedup/print.ts'
import type { SpeedupResult, Work } from '../speedup/result.ts'
import { DEFAULT_COST, runSpeedup } from '../speedup/run.ts'
import { stamp, writeJson } from '../stress/output.ts'
import { progressBar } from '../stress/progress.ts'
import { exitCodeOf, withInterrupt } from './interrupt.ts'
import { durationOption, parseList, parseMiddlewares, parsePositiveDuration, parsePositiveInt } from './options.ts'

function parseNodes(v: string): number[] {
  const ns = parseList(v).map(Number)
  if (ns.length === 0 || ns.some((n) => !Number.isInteger(n) || n < 1 || n > 16)) throw new InvalidArgumentError('expected a list of node counts from 1 to 16, e.g. 1,2,3')
  return ns
}

/** "io=5,cpu=2000": ioMillis and cpuMicros for the two kinds of work. */
function parseCostPair(v: string): { io: number; cpu: number } {
  const out = { io: DEFAULT_COST.io.ioMillis, cpu: DEFAULT_COST.cpu.cpuMicros }
  for (const part of parseList(v)) {
    const m = /^(io|cpu)=(\d+)$/.exec(part)
    if (!m) throw new InvalidArgumentError('expected io=MS,cpu=US, e.g. io=5,cpu=2000')
    out[m[1] as 'io' | 'cpu'] = Number(m[2])
  }
  return out
}

export function registerSpeedup(program: Command): void {
  program
    .command('speedup')
    .description('measure throughput X(n), speedup S(n) = X(n)/X(1) and efficiency over 1..N worker nodes')
    .argument('<middlewares...>', 'rpc grpc redis rabbitmq kafka, or all')
    .addOption(new Option('--nodes <list>', 'worker counts, comma-separated').argParser(parseNodes).default([1, 2, 3], '1,2,3'))
    .addOption(new Option('--work <kind>', 'I/O-bound jobs, CPU-bound jobs, or both').choices(['io', 'cpu', 'both']).default('both'))
    .addOption(new Option('--cost <pair>', 'cost per job: io=MS for I/O-bound, cpu=US for CPU-bound').argParser(parseCostPair).default({ io: 5, cpu: 2000 }, 'io=5,cpu=2000'))
    .option('--repeat <n>', 'repetitions per node count', parsePositiveInt, 3)
    .addOption(durationOption('--duration <d>', 'measured time per repetition', 10_000, parsePositiveDuration))
    .addOption(durationOption('--warmup <d>', 'warm-up per node count', 2000))
    .option('--job-concurrency <n>', 'jobs one worker runs at once', parsePositiveInt, 1)
    .option('--concurrency-per-node <n>', 'closed-loop calls in flight per worker slot', parsePositiveInt, 4)
    .option('--out <dir>', 'where result JSON files go', 'results')
    .option('--json', 'print the results as JSON on stdout instead of tables')
    .option('--no-progress', 'no progress bar on stderr')
    .action(async (names: string[], o) => {
      const view = progressBar(o.progress)
      const works: Work[] = o.work === 'both' ? ['io', 'cpu'] : [o.work]
      const results: SpeedupResult[] = []
      let interrupted = false
      await withInterrupt(async (signal) => {
        for (const mw of parseMiddlewares(names)) {
          for (const work of works) {
            if (signal.aborted) break
            const cost = work === 'io' ? { cpuMicros: 0, ioMillis: o.cost.io } : { cpuMicros: o.cost.cpu, ioMillis: 0 }
            const r = await runSpeedup(
              { middleware: mw, work, nodes: o.nodes, cost, durationMs: o.duration, warmupMs: o.warmup, repeat: o.repeat, jobConcurrency: o.jobConcurrency, concurrencyPerNode: o.concurrencyPerNode },
              { signal, onProgress: (n, p) => view.update(p, `${mw} ${work} n=${n}`) },
            )
            view.stop()
            results.push(r)
            const file = writeJson(o.out, `${stamp(r.createdAt)}-speedup-${mw}-${work}`, r)
            if (!o.json) process.stdout.write(formatSpeedup(r) + `\n  -> ${file}\n\n`)
          }
        }
        interrupted = signal.aborted
      }, 'ending the current node count and writing what was measured')
      if (o.json) process.stdout.write(JSON.stringify(results, null, 2) + '\n')
      process.exitCode = exitCodeOf(results, interrupted)
    })
}
