// Writes the report: index.html (charts inlined as SVG), summary.md, and a PNG per chart.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { autoscaleChart, percentileChart, rateChart, speedupChart, throughputChart, type Chart } from './charts.ts'
import { renderHtml } from './html.ts'
import type { ReportData, SkippedView } from './model.ts'
import { svgToPng, toSvg } from './render.ts'
import { renderSummary } from './summary.ts'

export function chartsFor(data: ReportData): Chart[] {
  const charts: Chart[] = []
  if (data.throughput.length) charts.push(throughputChart(data.throughput))
  if (data.percentiles.length) charts.push(percentileChart(data.percentiles))
  if (data.rateCurves.length) charts.push(rateChart(data.rateCurves))
  for (const work of ['io', 'cpu'] as const) if (data.speedups.some((v) => v.work === work)) charts.push(speedupChart(data.speedups, work))
  for (const a of data.autoscale) if (!a.superseded) charts.push(autoscaleChart(a))
  // ids name the PNG files and the page's anchors: two autoscale runs on one middleware must not share one
  const seen = new Map<string, number>()
  for (const c of charts) {
    const n = (seen.get(c.id) ?? 0) + 1
    seen.set(c.id, n)
    if (n > 1) c.id = `${c.id}-${n}`
  }
  return charts
}

export interface WrittenReport {
  html: string
  summary: string
  pngs: string[]
  charts: string[]
  /** charts that failed to render, left out of the report */
  skipped: SkippedView[]
}

export async function writeReport(data: ReportData, outDir: string): Promise<WrittenReport> {
  // Everything is rendered before anything is written, so a chart that fails leaves no half-written report.
  const rendered: { chart: Chart; svg: string; png: Buffer }[] = []
  const skipped: SkippedView[] = []
  for (const chart of chartsFor(data)) {
    try {
      const svg = await toSvg(chart.spec)
      rendered.push({ chart, svg, png: svgToPng(svg) })
    } catch (err) {
      skipped.push({ middleware: '', stage: `chart ${chart.id}`, reason: `could not be drawn: ${(err as Error).message}` })
    }
  }
  const shown = { ...data, skipped: [...data.skipped, ...skipped] }
  const chartDir = join(outDir, 'charts')
  await mkdir(chartDir, { recursive: true })
  // A chart an earlier report had and this one has not (e.g. a middleware no longer in the
  // results) would otherwise sit next to the new ones as if it were current.
  const current = new Set(rendered.map((r) => `${r.chart.id}.png`))
  for (const f of await readdir(chartDir)) if (f.endsWith('.png') && !current.has(f)) await rm(join(chartDir, f))
  const pngs: string[] = []
  for (const r of rendered) {
    const png = join(chartDir, `${r.chart.id}.png`)
    await writeFile(png, r.png)
    pngs.push(png)
  }
  const html = join(outDir, 'index.html')
  const summary = join(outDir, 'summary.md')
  await writeFile(summary, renderSummary(shown))
  await writeFile(html, renderHtml(shown, rendered))
  return { html, summary, pngs, charts: rendered.map((r) => r.chart.id), skipped }
}
