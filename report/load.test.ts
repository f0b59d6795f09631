// The loader's rules: repeated runs of one configuration are charted once (the latest) and
// listed each with its time; what cannot be drawn is skipped and listed, never fatal.
import { access, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AUTOSCALE_SCHEMA } from '../autoscale/run.ts'
import { RESULT_SCHEMA } from '../stress/result.ts'
import { chartsFor, writeReport } from './build.ts'
import { throughputChart } from './charts.ts'
import { sampleReportData } from './fixture.ts'
import { autoscaleSettings, loadResults } from './load.ts'

/** Just the fields the report reads of a stress result. */
function stressResult(createdAt: string, opsPerSec: number, concurrency = 64) {
  return {
    schema: RESULT_SCHEMA,
    createdAt,
    state: 'completed',
    middleware: 'rpc',
    op: 'moderate',
    mode: 'closed',
    spec: { load: { mode: 'closed', concurrency }, nodes: 1, payload: 'complex', cost: { cpuMicros: 0, ioMillis: 0 } },
    environment: { libraries: { undici: '7' }, host: { cores: 2, cpuModel: 'test' }, node: 'v20' },
    summary: {
      throughput: { median: opsPerSec, min: opsPerSec, max: opsPerSec },
      latency: { p50Us: 1000, p90Us: 2000, p99Us: 3000, p999Us: 4000, maxUs: 5000 },
      accounting: { sent: 100, lost: 0, failedTotal: 0, timedOut: 0 },
      spectrum: [50, 99, 100].map((percentile) => ({ percentile, valueUs: 1000 * percentile })),
    },
  }
}

function autoscaleResult(createdAt: string, ticks: number) {
  return {
    schema: AUTOSCALE_SCHEMA,
    createdAt,
    state: 'completed',
    middleware: 'redis',
    profile: 'steps',
    options: { max: 8, timeScale: ticks ? 1 : 0 },
    maxWorkers: 1,
    sent: ticks * 100,
    ok: ticks * 100,
    failed: 0,
    lost: 0,
    timeline: Array.from({ length: ticks }, (_, t) => ({ t, lambda: 100, backlog: 0, workers: 1, completions: 100, p99Ms: 5 })),
    drainTimes: [],
  }
}

async function resultsDir(files: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mwlab-results-'))
  for (const [name, doc] of Object.entries(files)) await writeFile(join(dir, name), typeof doc === 'string' ? doc : JSON.stringify(doc))
  return dir
}

describe('loadResults', () => {
  it('charts only the latest of repeated runs of one configuration and lists every run with its time', async () => {
    const dir = await resultsDir({
      'a.json': stressResult('2026-11-23T10:00:00.000Z', 3777),
      'b.json': stressResult('2026-11-23T10:05:00.000Z', 2595),
      'c.json': stressResult('2026-11-23T10:10:00.000Z', 2583),
      'd.json': stressResult('2026-11-23T10:15:00.000Z', 1500, 16), // another concurrency: its own bar
      'e.json': autoscaleResult('2026-11-23T11:00:00.000Z', 5),
      'f.json': autoscaleResult('2026-11-23T12:00:00.000Z', 5),
    })
    const { data } = await loadResults(dir)

    expect(data.throughput.map((r) => [r.runAt, r.superseded])).toEqual([
      ['2026-11-23T10:00:00.000Z', true],
      ['2026-11-23T10:05:00.000Z', true],
      ['2026-11-23T10:10:00.000Z', false],
      ['2026-11-23T10:15:00.000Z', false],
    ])
    const bars = throughputChart(data.throughput).spec.data as { values: { label: string; opsPerSec: number }[] }
    expect(bars.values.map((v) => [v.label, v.opsPerSec])).toEqual([
      ['rpc moderate [c=64, complex]', 2583],
      ['rpc moderate [c=16, complex]', 1500],
    ])
    expect(data.percentiles).toHaveLength(2 * 3) // one curve per charted run, not one per file
    expect(data.autoscale.map((a) => a.superseded)).toEqual([true, false])
    expect(chartsFor(data).map((c) => c.id)).toEqual(['throughput', 'percentiles', 'autoscale-redis'])

    const out = await writeReport(data, join(dir, 'report'))
    const summary = await readFile(out.summary, 'utf8')
    expect(summary).toContain('| c=64, complex | 2026-11-23 10:00:00 (superseded) | 3777 |')
    expect(summary).toContain('| c=64, complex | 2026-11-23 10:10:00 | 2583 |')
  })

  it('an interrupted or failed rerun does not hide a whole earlier run; partial autoscale steps say not reached', async () => {
    const failed = { ...stressResult('2026-11-23T10:20:00.000Z', 0), state: 'failed', error: { code: 'NO_SUCCESS', message: 'no call succeeded out of 5: UNAVAILABLE 5' } }
    const partial = { ...stressResult('2026-11-23T10:30:00.000Z', 900), state: 'partial', reason: 'interrupted' }
    const cut = {
      ...autoscaleResult('2026-11-23T12:00:00.000Z', 5),
      state: 'partial',
      drainTimes: [
        { stepAt: 4, reached: true, drainedAfterS: 1.5 },
        { stepAt: 14, reached: false, drainedAfterS: null },
      ],
    }
    const dir = await resultsDir({
      'a.json': stressResult('2026-11-23T10:00:00.000Z', 3777),
      'b.json': failed,
      'c.json': partial,
      'e.json': autoscaleResult('2026-11-23T11:00:00.000Z', 5),
      'f.json': cut,
    })
    const { data } = await loadResults(dir)
    // The failed run is skipped with its reason; of the two others the complete one is charted.
    expect(data.skipped.map((s) => s.reason)).toEqual(['no call succeeded out of 5: UNAVAILABLE 5'])
    expect(data.throughput.map((r) => [r.opsPerSec, r.superseded])).toEqual([
      [3777, false],
      [900, true],
    ])
    expect(data.autoscale.map((a) => [a.partial, a.superseded])).toEqual([
      [false, false],
      [true, true],
    ])
    const out = await writeReport(data, join(dir, 'report'))
    expect(await readFile(out.summary, 'utf8')).toContain('redis (partial), steps (max 8), run 2026-11-23 12:00:00 (superseded): sent 500, ok 500, failed 0, lost 0; time to drain the backlog after each step: 1.5 s, not reached (target 4 s);')
  })

  it('skips a result with nothing to draw and a file that is not JSON, lists them, and still writes the report', async () => {
    const dir = await resultsDir({
      '20261123-100000-rpc-moderate-closed.json': stressResult('2026-11-23T10:00:00.000Z', 3777),
      '20261123-110000-autoscale-redis-steps.json': autoscaleResult('2026-11-23T11:00:00.000Z', 0),
      'broken.json': '{"schema": "mwlab.stress/1", ',
    })
    const { data, skipped } = await loadResults(dir)
    expect(skipped.map((s) => [s.file, s.reason.split(':')[0]])).toEqual([
      ['20261123-110000-autoscale-redis-steps.json', 'empty timeline, nothing to draw'],
      ['broken.json', 'not readable JSON'],
    ])

    const out = await writeReport(data, join(dir, 'report'))
    expect(out.charts).toEqual(['throughput', 'percentiles'])
    const html = await readFile(out.html, 'utf8')
    expect(html).toContain('<section id="skipped">')
    expect(html).toContain('broken.json')
    expect(html).toContain('20261123-110000-autoscale-redis-steps.json')
  })

  it('leaves out a chart that fails to render instead of leaving a half-written report', async () => {
    const data = sampleReportData()
    data.autoscale[0].timeline = [] // vega sizes this chart Infinity, which resvg refuses
    const dir = await mkdtemp(join(tmpdir(), 'mwlab-report-'))
    const out = await writeReport(data, dir)
    expect(out.skipped.map((s) => s.stage)).toEqual(['chart autoscale-redis'])
    expect(out.charts).not.toContain('autoscale-redis')
    await access(out.html)
    expect(await readFile(out.summary, 'utf8')).toContain('chart autoscale-redis: could not be drawn')
  })

  it('says plainly when the results folder does not exist', async () => {
    await expect(loadResults('/nonexistent-mwlab-results')).rejects.toThrow(/^no results folder at \/nonexistent-mwlab-results$/)
  })
})

describe('autoscaleSettings', () => {
  it('names what sets a run apart, the defaults left out, and reads a result older than spares', () => {
    const base = { middleware: 'redis', profile: 'steps', max: 8, drainTargetMs: 2000, cooldownMs: 5000, tickMs: 1000, cost: { cpuMicros: 0, ioMillis: 10 }, timeScale: 1 } as const
    expect(autoscaleSettings({ ...base, spares: 7 })).toBe('max 8, 7 spares, io 10 ms')
    expect(autoscaleSettings({ ...base, spares: 1, tickMs: 500, cooldownMs: 0, drainTargetMs: 3000, timeScale: 2 })).toBe('max 8, 1 spare, io 10 ms, drain target 3 s, cool-down 0 s, tick 0.5 s, time ×2')
    expect(autoscaleSettings(base)).toBe('max 8, io 10 ms')
  })
})
