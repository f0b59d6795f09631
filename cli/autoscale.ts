// mwlab autoscale <redis|rabbitmq|kafka>: one autoscaler run against a load profile,
// printing a line per tick and writing the timeline as JSON.
import { Command, InvalidArgumentError, Option } from 'commander'
import { PROFILES } from '../autoscale/profiles.ts'
import { drainLimitS, drainsOf, MAX_TIME_SCALE, runAutoscale, type AutoscaleResult, type TimelineEntry } from '../autoscale/run.ts'
import { exitCodeOf, withInterrupt } from './interrupt.ts'
import { durationOption, parseIntOption, parsePositiveDuration, parsePositiveInt } from './options.ts'
import { stamp, writeJson } from '../stress/output.ts'

const f = (n: number, d = 0) => n.toFixed(d).padStart(6)

export function formatTick(t: TimelineEntry): string {
  // The formula's N exceeds the target only when --max clamped it.
  const capped = t.needed > t.target ? ` (formula: ${t.needed}; capped by --max)` : ''
  return `t=${f(t.t, 1)}s  λ=${f(t.lambda)}/s  B=${f(t.backlog)}  done=${f(t.completions)}/s  N=${t.workers}->${t.target}  C=${f(t.capacity)}/s  p99=${f(t.p99Ms, 1)}ms  ${t.reason}${capped}`
}

// Flag parsers: commander runs them while parsing, so a bad value stops the command before
// any broker, master or worker is started.
export function parseTimeScale(v: string): number {
  const n = Number(v)
  if (!(n > 0 && n <= MAX_TIME_SCALE)) throw new InvalidArgumentError(`expected a number > 0 and <= ${MAX_TIME_SCALE} (1: about 30 s)`)
  return n
}

export function summary(mw: string, r: AutoscaleResult): string {
  let s = `${mw} ${r.profile}: sent ${r.sent}, ok ${r.ok}, failed ${r.failed}, lost ${r.lost}; max ${r.maxWorkers} worker${r.maxWorkers === 1 ? '' : 's'}; time to drain the backlog after each step: ${drainsOf(r.drainTimes, drainLimitS(r.options.drainTargetMs))}`
  // Results written before `needed` was recorded have none: nothing to say then.
  const capped = r.timeline.filter((t) => t.needed > r.options.max)
  if (capped.length) s += `\n  --max ${r.options.max} held the pool back in ${capped.length} tick${capped.length > 1 ? 's' : ''} (the formula asked for up to ${Math.max(...capped.map((t) => t.needed))} workers)`
  if (r.state === 'partial') s += `\n  interrupted after ${(r.interruptedAtS ?? 0).toFixed(1)} s (partial result)`
  return s
}

export function registerAutoscale(program: Command): void {
  program
    .command('autoscale')
    .description('size a queue middleware\'s worker pool from arrival rate λ and backlog B: N = ceil(λ/C + B/(C·Tr))')
    .addArgument(new Command().createArgument('<middleware>', 'redis | rabbitmq | kafka').choices(['redis', 'rabbitmq', 'kafka']))
    .addOption(new Option('--profile <name>', 'load profile').choices([...PROFILES]).default('steps'))
    .option('--max <n>', 'never more workers than this (>= 1); with the default --spares, this many processes are loaded', parsePositiveInt, 8)
    .addOption(durationOption('--drain-target <d>', 'Tr: clear a backlog within this time (> 0)', 2000, parsePositiveDuration))
    .addOption(durationOption('--cooldown <d>', 'a scale-down waits this long (0: shrink as soon as fewer workers would do)', 5000))
    .addOption(durationOption('--tick <d>', 'how often the pool is sized (> 0)', 1000, parsePositiveDuration))
    .option('--io <ms>', 'I/O wait per job, ms; a worker then serves about 1000 / ms jobs/s (0: no wait, about 1000 jobs/s)', parseIntOption, 10)
    .option('--time-scale <x>', `stretch the ~30 s profile (> 0, <= ${MAX_TIME_SCALE})`, parseTimeScale, 1)
    .option('--spares <n>', 'worker processes kept loaded and idle, so a scale-up does not wait for one to start; never more than --max minus the workers (0: start each one fresh; default: --max minus 1)', parseIntOption)
    .option('--out <dir>', 'where the result JSON goes', 'results')
    .option('--json', 'print the result JSON on stdout')
    .action(async (mw, o) => {
      let interrupted = false
      // After a second Ctrl-C the workers stop on their own when they see the master gone.
      const r = await withInterrupt(async (signal) => {
        const result = await runAutoscale({
          middleware: mw,
          profile: o.profile,
          max: o.max,
          drainTargetMs: o.drainTarget,
          cooldownMs: o.cooldown,
          tickMs: o.tick,
          cost: { cpuMicros: 0, ioMillis: o.io },
          timeScale: o.timeScale,
          spares: o.spares,
          signal,
          onTick: (t) => process.stderr.write(formatTick(t) + '\n'),
        })
        interrupted = signal.aborted
        return result
      }, 'no more jobs sent; waiting briefly for those in flight, then stopping the workers')
      const file = writeJson(o.out, `${stamp(r.createdAt)}-autoscale-${mw}-${o.profile}`, r)
      if (o.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n')
      else process.stdout.write(`${summary(mw, r)}\n  -> ${file}\n`)
      process.exitCode = exitCodeOf([r], interrupted)
    })
}
