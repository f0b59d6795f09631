// mwlab bench (= npm run bench): the standard stress of all five middlewares with their
// calibration ratios and the targets they are held to.
import { Command, InvalidArgumentError } from 'commander'
import { MIDDLEWARES } from '../core/contract.ts'
import { BENCH_SCHEMA, DEFAULT_CANDIDATES, runBench, type BenchReport } from '../stress/bench.ts'
import { stamp, writeJson, writeResult } from '../stress/output.ts'
import { progressBar } from '../stress/progress.ts'
import { exitCodeOf, withInterrupt } from './interrupt.ts'
import { addLoadOptions, printResults } from './stress.ts'
import { durationOption, parseList, parseMiddlewares, parsePositiveDuration } from './options.ts'

function parseCandidates(v: string): number[] {
  const xs = parseList(v).map(Number)
  if (xs.length === 0 || xs.some((x) => !Number.isInteger(x) || x < 1)) throw new InvalidArgumentError('expected integers >= 1, e.g. 16,64,256,1024')
  return xs
}

function checksTable(report: BenchReport): string {
  const rows = report.checks.map((c) => [c.middleware, c.what, c.target, c.measured, c.met === null ? '?' : c.met ? 'met' : 'MISSED'])
  const header = ['middleware', 'target', 'wanted', 'measured', '']
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (r: string[]) => r.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd()
  return [line(header), line(w.map((x) => '-'.repeat(x))), ...rows.map(line)].join('\n')
}

export function registerBench(program: Command): void {
  const cmd = program
    .command('bench')
    .description('standard benchmark: every middleware, single node, moderate, zero cost, complex payload, closed loop at its best concurrency, with calibration ratios')
    .option('--only <list>', `comma-separated subset of ${MIDDLEWARES.join(',')}`, (v) => parseMiddlewares([v]), [...MIDDLEWARES])
    .option('--concurrency <list>', 'candidate concurrencies tried briefly; the best is measured (one value: no probing)', parseCandidates, DEFAULT_CANDIDATES)
    .addOption(durationOption('--probe <time>', 'length of each candidate concurrency try', 2000, parsePositiveDuration))
  addLoadOptions(cmd, { duration: '5s', repeat: 3 })
  cmd.action(async (o) => {
    const view = progressBar(o.progress)
    let report: BenchReport | undefined
    let interrupted = false
    await withInterrupt(async (signal) => {
      report = await runBench(
        {
          middlewares: o.only,
          candidates: o.concurrency,
          probeMs: o.probe,
          base: {
            op: 'moderate',
            durationMs: o.duration,
            warmupMs: o.warmup,
            repeat: o.repeat,
            timeoutMs: o.timeout,
            graceMs: o.grace ?? o.timeout,
            nodes: 1,
            payload: 'complex',
            cost: { cpuMicros: 0, ioMillis: 0 },
            loadWorkers: o.loadWorkers,
            batch: o.batch,
            seed: o.seed,
            broker: o.broker,
          },
        },
        { signal, onStage: (s) => view.stage(s), onProgress: (p) => view.update(p) },
      )
      interrupted = signal.aborted
    })
    view.stop()
    const r = report as BenchReport | undefined
    if (!r) return
    for (const res of r.results) view.stage(`${res.middleware}: ${res.state} -> ${writeResult(o.out, res)}`)
    view.stage(`bench summary -> ${writeJson(o.out, `${stamp(r.createdAt)}-bench`, { ...r, schema: BENCH_SCHEMA })}`)
    if (o.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n')
    else {
      printResults(r.results, false)
      process.stdout.write('\ntargets (what the lab aims for on a 2-core machine; MISSED is a measurement, not an error)\n' + checksTable(r) + '\n')
    }
    process.exitCode = exitCodeOf(r.results, interrupted)
  })
}
