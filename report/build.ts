// Writes the report: index.html (charts inlined as SVG), summary.md, and a PNG per chart.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { autoscaleChart, percentileChart, rateChart, speedupChart, throughputChart, type Chart } from './charts.ts'
import { renderHtml } from './html.ts'
import type { ReportData } from './model.ts'
import { svgToPng, toSvg } from './render.ts'
import { renderSummary } from './summary.ts'

export function chartsFor(data: ReportData): Chart[] {
  const charts: Chart[] = []
  if (data.throughput.length) charts.push(throughputChart(data.throughput))
  if (data.percentiles.length) charts.push(percentileChart(data.percentiles))
  if (data.rateCurves.length) charts.push(rateChart(data.rateCurves))
  for (const work of ['io', 'cpu'] as const) if (data.speedups.some((v) => v.work === work)) charts.push(speedupChart(data.speedups, work))
  for (const a of data.autoscale) charts.push(autoscaleChart(a))
  return charts
}

export interface WrittenReport {
  html: string
  summary: string
  pngs: string[]
  charts: string[]
}

export async function writeReport(data: ReportData, outDir: string): Promise<WrittenReport> {
  await mkdir(join(outDir, 'charts'), { recursive: true })
  const rendered = []
  const pngs: string[] = []
  for (const chart of chartsFor(data)) {
    const svg = await toSvg(chart.spec)
    rendered.push({ chart, svg })
    const png = join(outDir, 'charts', `${chart.id}.png`)
    await writeFile(png, svgToPng(svg))
    pngs.push(png)
  }
  const html = join(outDir, 'index.html')
  const summary = join(outDir, 'summary.md')
  await writeFile(html, renderHtml(data, rendered))
  await writeFile(summary, renderSummary(data))
  return { html, summary, pngs, charts: rendered.map((r) => r.chart.id) }
}
