// The report as a person sees it: written to a temp dir, opened in headless Chromium,
// every chart present and drawn, no console errors, a screenshot kept.
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { checkPage } from './browser.ts'
import { chartsFor, writeReport } from './build.ts'
import { sampleReportData } from './fixture.ts'

describe('report', () => {
  it('renders every chart into a self-contained page that Chromium shows without errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mwlab-report-'))
    const data = sampleReportData()
    const warn = vi.spyOn(console, 'warn') // vega and vega-lite warn about specs through console.warn
    const out = await writeReport(data, dir)
    expect(warn).not.toHaveBeenCalled()
    warn.mockRestore()
    const expected = chartsFor(data).map((c) => c.id)
    expect(expected).toEqual(['throughput', 'percentiles', 'rate-latency', 'speedup-io', 'speedup-cpu', 'autoscale-redis'])

    const html = await readFile(out.html, 'utf8')
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/) // nothing to fetch, nothing to run
    expect(html).toContain('<td>0.50 (rounds 0.45-0.55)</td>') // the calibration ratio with its rounds
    expect(html).toContain('<td>42 + 10 (raw 20 + 5; 2.08×)</td>') // CPU per call beside the raw baseline's, and the factor
    expect(html).toContain('<td>40 (raw 20; 2.00×)</td>') // no broker share on either side
    expect(html).toContain('<td>44 + 10 (node not counted; raw 20 + 5)</td>') // a --server node's CPU is not in it: no factor
    expect(html).toContain('CPU µs/call: CPU time of the load generator')
    expect(html).toContain('node not counted')
    for (const png of out.pngs) expect((await stat(png)).size).toBeGreaterThan(1000)
    expect(await readFile(out.summary, 'utf8')).toContain('| rabbitmq | moderate | closed | 1 |')
    expect(await readFile(out.summary, 'utf8')).toContain('| 0 | 43 + 10 (raw 20 + 5; 2.12×) |')

    const shot = join(process.env.MWLAB_SCREENSHOT_DIR ?? dir, 'report-screenshot.png')
    const page = await checkPage(out.html, shot)
    expect(page.title).toBe('mwlab report')
    expect(page.charts).toEqual(expected)
    expect(page.svgCount).toBe(expected.length)
    expect(page.consoleErrors).toEqual([])
    expect(page.failedRequests).toEqual([])
    expect((await stat(shot)).size).toBeGreaterThan(10_000)
  })
  it('removes charts of an earlier report that this one no longer has, and nothing else', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mwlab-report-'))
    const first = await writeReport(sampleReportData(), dir)
    await writeFile(join(dir, 'charts', 'autoscale-kafka.png'), 'from an older report')
    await writeFile(join(dir, 'charts', 'notes.txt'), 'not ours')
    const again = await writeReport(sampleReportData(), dir)
    expect(again.charts).toEqual(first.charts)
    expect((await readdir(join(dir, 'charts'))).sort()).toEqual([...first.charts.map((c) => `${c}.png`), 'notes.txt'].sort())
  })
})
