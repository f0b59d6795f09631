// mwlab report [RESULTS_DIR]: the HTML report, a Markdown summary and PNG charts.
import { resolve, join } from 'node:path'
import { Command } from 'commander'
import { createLogger } from '../core/log.ts'
import { writeReport } from '../report/build.ts'
import { loadResults } from '../report/load.ts'
import { skippedLabel, type SkippedView } from '../report/model.ts'

const log = createLogger('report')

function warnSkipped(s: SkippedView): void {
  log.warn(`skipped ${skippedLabel(s)}: ${s.reason}`)
}

export async function buildReport(resultsDir: string, outDir: string): Promise<string> {
  const { data, files, skipped } = await loadResults(resultsDir)
  skipped.forEach(warnSkipped)
  if (files === 0) throw new Error(`no results in ${resultsDir}: run \`mwlab stress\`, \`mwlab speedup\`, \`mwlab autoscale\` or \`npm run lab\` first`)
  const out = await writeReport(data, outDir)
  out.skipped.forEach(warnSkipped)
  log.info(`${files} results -> ${out.charts.length} charts`)
  return out.html
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write report/index.html (charts inlined as SVG), report/summary.md and PNG charts from a results directory')
    .argument('[results-dir]', 'directory of result JSON files', 'results')
    .option('--out <dir>', 'where the report goes (default: RESULTS_DIR/report)')
    .action(async (dir: string, o) => {
      const outDir = resolve(o.out ?? join(dir, 'report'))
      const html = await buildReport(resolve(dir), outDir)
      process.stdout.write(html + '\n')
    })
}
