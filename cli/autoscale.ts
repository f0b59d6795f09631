// mwlab autoscale <redis|rabbitmq|kafka>: one autoscaler run against a load profile,
// printing a line per tick and writing the timeline as JSON.
import { Command, Option } from 'commander'
import { PROFILES } from '../autoscale/profiles.ts'
import { DEFAULT_SPARES, runAutoscale, type TimelineEntry } from '../autoscale/run.ts'
import { parseDuration, parseIntOption } from './options.ts'
import { stamp, writeJson } from '../stress/output.ts'

const f = (n: number, d = 0) => n.toFixed(d).padStart(6)

export function formatTick(t: TimelineEntry): string {
  return `t=${f(t.t, 1)}s  λ=${f(t.lambda)}/s  B=${f(t.backlog)}  done=${f(t.completions)}/s  N=${t.workers}->${t.target}  C=${f(t.capacity)}/s  p99=${f(t.p99Ms, 1)}ms  ${t.reason}`
}

export function registerAutoscale(program: Command): void {
  program
    .command('autoscale')
    .description('size a queue middleware\'s worker pool from arrival rate λ and backlog B: N = ceil(λ/C + B/(C·Tr))')
    .addArgument(new Command().createArgument('<middleware>', 'redis | rabbitmq | kafka').choices(['redis', 'rabbitmq', 'kafka']))
    .addOption(new Option('--profile <name>', 'load profile').choices([...PROFILES]).default('steps'))
    .option('--max <n>', 'never more workers than this', parseIntOption, 8)
    .option('--drain-target <d>', 'Tr: clear a backlog within this time', parseDuration, 2000)
    .option('--cooldown <d>', 'a scale-down waits this long', parseDuration, 5000)
    .option('--tick <d>', 'how often the pool is sized', parseDuration, 1000)
    .option('--io <ms>', 'I/O wait per job (one worker serves 1000/ms jobs/s)', parseIntOption, 10)
    .option('--time-scale <x>', 'stretch the ~30 s profile', (v) => Number(v), 1)
    .option('--spares <n>', 'worker processes kept loaded and idle so scaling up is immediate (0: start each one fresh)', parseIntOption, DEFAULT_SPARES)
    .option('--out <dir>', 'where the result JSON goes', 'results')
    .option('--json', 'print the result JSON on stdout')
    .action(async (mw, o) => {
      const ac = new AbortController()
      process.once('SIGINT', () => ac.abort())
      const r = await runAutoscale({
        middleware: mw,
        profile: o.profile,
        max: o.max,
        drainTargetMs: o.drainTarget,
        cooldownMs: o.cooldown,
        tickMs: o.tick,
        cost: { cpuMicros: 0, ioMillis: o.io },
        timeScale: o.timeScale,
        spares: o.spares,
        signal: ac.signal,
        onTick: (t) => process.stderr.write(formatTick(t) + '\n'),
      })
      const file = writeJson(o.out, `${stamp(r.createdAt)}-autoscale-${mw}-${o.profile}`, r)
      if (o.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n')
      else {
        const drains = r.drainTimes.map((d) => (d.drainedAfterS === null ? 'not drained' : `${d.drainedAfterS.toFixed(1)} s`)).join(', ')
        process.stdout.write(
          `${mw} ${r.profile}: sent ${r.sent}, ok ${r.ok}, failed ${r.failed}, lost ${r.lost}; max ${r.maxWorkers} workers; backlog drained after each step in ${drains || 'n/a'} (target ${o.drainTarget / 1000 + 2} s)\n  -> ${file}\n`,
        )
      }
    })
}
