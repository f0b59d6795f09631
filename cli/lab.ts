// mwlab lab (= npm run lab): the whole study in one command, ending with the report path.
import { readFile } from 'node:fs/promises'
import { resolve, join } from 'node:path'
import { Command } from 'commander'
import cliProgress from 'cli-progress'
import { FULL, QUICK } from '../lab/plan.ts'
import { labDir, runLab } from '../lab/study.ts'
import { skippedLabel } from '../report/model.ts'
import { exitCodeOf, withInterrupt } from './interrupt.ts'
import { buildReport } from './report.ts'

export function registerLab(program: Command): void {
  program
    .command('lab')
    .description('the whole study: brokers, stress of all five middlewares, speedup over 1..3 nodes (I/O- and CPU-bound), an autoscaler run, and the HTML report')
    .option('--full', 'the long version (more nodes, longer runs, every autoscaler)')
    .option('--out <dir>', 'results root', 'results')
    .action(async (o) => {
      const plan = o.full ? FULL : QUICK
      const dir = resolve(labDir(o.out))
      const started = Date.now()
      const bar = new cliProgress.SingleBar(
        { format: 'lab [{bar}] {value}/{total} stages | {elapsed}s | {stage}', stream: process.stderr, hideCursor: true, clearOnComplete: false, noTTYOutput: true, notTTYSchedule: 5000 },
        cliProgress.Presets.shades_classic,
      )
      let total = 0
      let interrupted = false
      const { skipped } = await withInterrupt(async (signal) => {
        const r = await runLab(plan, dir, {
          signal,
          onStage: (i, n, what) => {
            if (total === 0) bar.start((total = n), 0, { stage: what, elapsed: 0 })
            bar.update(i, { stage: what, elapsed: Math.round((Date.now() - started) / 1000) })
            if (!process.stderr.isTTY) process.stderr.write(`[lab ${Math.round((Date.now() - started) / 1000)}s] ${i + 1}/${n} ${what}\n`)
          },
        })
        interrupted = signal.aborted
        return r
      }, 'ending the stage under way, then writing the report from what was measured')
      bar.update(total, { stage: 'report', elapsed: Math.round((Date.now() - started) / 1000) })
      bar.stop()
      const html = await buildReport(dir, join(dir, 'report'))
      for (const s of skipped) process.stderr.write(`skipped ${skippedLabel(s)}: ${s.reason}\n`)
      process.stderr.write(`lab done in ${Math.round((Date.now() - started) / 1000)} s${interrupted ? ' (interrupted: partial)' : ''}\n`)
      // The findings on stdout (the same Markdown as summary.md), then where the report is.
      process.stdout.write((await readFile(join(dir, 'report', 'summary.md'), 'utf8')) + '\n')
      process.stdout.write(`report: ${html}\n`)
      process.exitCode = exitCodeOf([], interrupted)
    })
}
