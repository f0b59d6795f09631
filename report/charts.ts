// The report's charts as declarative Vega-Lite specs; report/render.ts draws them.
import type { TopLevelSpec } from 'vega-lite'
import { amdahl } from '../speedup/models.ts'
import { runTime, type AutoscaleView, type PercentilePoint, type RatePoint, type SpeedupView, type ThroughputRow } from './model.ts'

export interface Chart {
  id: string
  title: string
  spec: TopLevelSpec
}

const W = 560
const H = 280

/** One bar per configuration, its latest run: a bar never adds up repeated runs. */
export function throughputChart(rows: ThroughputRow[]): Chart {
  const values = rows.filter((r) => !r.superseded).map((r) => ({ label: r.series, ...r }))
  return {
    id: 'throughput',
    title: 'Throughput per middleware (median of repetitions, bar = min..max)',
    spec: {
      width: W,
      height: H,
      data: { values },
      // One sort for all layers: with '-y' or no op each layer sorts differently (the bar layer by sum,
      // the others by min or another field) and vega-lite warns that the domains conflict.
      encoding: { x: { field: 'label', type: 'nominal', title: null, sort: { field: 'opsPerSec', op: 'max', order: 'descending' }, axis: { labelAngle: -20 } } },
      layer: [
        {
          mark: { type: 'bar', tooltip: true },
          encoding: {
            y: { field: 'opsPerSec', type: 'quantitative', title: 'completed ops/s' },
            color: { field: 'middleware', type: 'nominal', legend: null },
          },
        },
        { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y: { field: 'opsMin', type: 'quantitative' }, y2: { field: 'opsMax' } } },
        { mark: { type: 'text', dy: -8, fontSize: 10 }, encoding: { y: { field: 'opsMax', type: 'quantitative' }, text: { field: 'opsPerSec', type: 'quantitative', format: ',.0f' } } },
      ],
    },
  }
}

export function percentileChart(points: PercentilePoint[]): Chart {
  const order = [...new Set(points.map((p) => p.percentile))].sort((a, b) => a - b).map((p) => `p${p}`)
  return {
    id: 'percentiles',
    title: 'Latency by percentile (log scale)',
    spec: {
      width: W,
      height: H,
      data: { values: points.map((p) => ({ ...p, pct: `p${p.percentile}`, latencyMs: Math.max(p.latencyMs, 0.001) })) },
      mark: { type: 'line', point: true, tooltip: true },
      encoding: {
        x: { field: 'pct', type: 'ordinal', sort: order, title: 'percentile' },
        y: { field: 'latencyMs', type: 'quantitative', scale: { type: 'log' }, title: 'latency (ms)' },
        color: { field: 'middleware', type: 'nominal' },
      },
    },
  }
}

export function rateChart(points: RatePoint[]): Chart {
  return {
    id: 'rate-latency',
    title: 'Open loop: p99 latency as the arrival rate steps up',
    spec: {
      width: W,
      height: H,
      data: { values: points.map((p) => ({ ...p, p99Ms: Math.max(p.p99Ms, 0.001) })) },
      mark: { type: 'line', point: true, tooltip: true },
      encoding: {
        x: { field: 'offeredRate', type: 'quantitative', title: 'offered rate (ops/s)' },
        y: { field: 'p99Ms', type: 'quantitative', scale: { type: 'log' }, title: 'p99 latency (ms)' },
        color: { field: 'middleware', type: 'nominal' },
      },
    },
  }
}

/** Measured speedups of every configuration (its latest run) for one kind of work, with the ideal line and both models. */
export function speedupChart(views: SpeedupView[], work: 'io' | 'cpu'): Chart {
  const vs = views.filter((v) => v.work === work && !v.superseded)
  const maxN = Math.max(1, ...vs.flatMap((v) => v.points.map((p) => p.nodes)))
  const measured = vs.flatMap((v) =>
    v.points.map((p) => {
      const base = v.points.find((q) => q.nodes === 1)?.throughput ?? p.throughput
      return { middleware: v.series, nodes: p.nodes, speedup: p.speedup, lo: p.min / base, hi: p.max / base }
    }),
  )
  const models: { series: string; middleware: string; mw?: string; nodes: number; speedup: number }[] = []
  for (let n = 1; n <= maxN + 1e-9; n += 0.1) models.push({ series: 'ideal', middleware: 'ideal S(n) = n', nodes: n, speedup: n })
  for (const v of vs) {
    for (let n = 1; n <= maxN + 1e-9; n += 0.1) {
      models.push({ series: 'amdahl', middleware: `${v.series} Amdahl f=${v.amdahlSerialFraction.toFixed(2)}`, mw: v.series, nodes: n, speedup: amdahl(v.amdahlSerialFraction, n) })
    }
  }
  // One line serves every series: at saturation M/M/c predicts min(c, cores) for CPU-bound
  // work and c otherwise (speedup/models.ts), whatever the middleware.
  const mmc = vs[0]?.mmc.map((m) => ({ series: 'mmc', middleware: 'M/M/c prediction', nodes: m.nodes, speedup: m.speedup })) ?? []
  const cores = vs[0]?.cores
  // Every layer has the same x (Vega-Lite takes an axis from the first layer that defines
  // it), with a tick at each whole worker count only: tickMinStep still gave 1.2, 1.4, ...
  const ticks = Array.from({ length: Math.max(1, Math.floor(maxN)) }, (_, i) => i + 1)
  const x = { field: 'nodes', type: 'quantitative', title: 'worker nodes n', axis: { values: ticks, format: 'd' }, scale: { domainMin: 1 } } as const
  return {
    id: `speedup-${work}`,
    title: `Speedup S(n) = X(n)/X(1), ${work === 'io' ? 'I/O-bound' : 'CPU-bound'} work${cores ? ` (machine: ${cores} cores)` : ''}. Solid: measured (bar = min..max); dotted: Amdahl fit; dashed black: ideal; thick gray: M/M/c`,
    spec: {
      width: W,
      height: H,
      layer: [
        {
          data: { values: models.filter((m) => m.series === 'ideal') },
          mark: { type: 'line', color: 'black', strokeDash: [6, 4] },
          encoding: { x, y: { field: 'speedup', type: 'quantitative' } },
        },
        {
          data: { values: mmc },
          mark: { type: 'line', color: 'gray', strokeWidth: 3, opacity: 0.5 },
          encoding: { x, y: { field: 'speedup', type: 'quantitative' } },
        },
        {
          data: { values: models.filter((m) => m.series === 'amdahl') },
          mark: { type: 'line', strokeDash: [2, 2], strokeWidth: 1.5 },
          encoding: {
            x,
            y: { field: 'speedup', type: 'quantitative' },
            detail: { field: 'middleware', type: 'nominal' },
            color: { field: 'mw', type: 'nominal' },
          },
        },
        {
          data: { values: measured },
          layer: [
            { mark: { type: 'line', point: true, tooltip: true }, encoding: { y: { field: 'speedup', type: 'quantitative' } } },
            { mark: 'rule', encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
          ],
          encoding: {
            x,
            color: { field: 'middleware', type: 'nominal', title: 'middleware' },
          },
        },
      ],
      encoding: { y: { title: 'speedup S(n)' } },
    } as TopLevelSpec,
  }
}

export function autoscaleChart(v: AutoscaleView): Chart {
  const rates = v.timeline.flatMap((t) => [
    { t: t.t, series: 'arrival rate λ (jobs/s)', value: t.lambda },
    { t: t.t, series: 'completions/s', value: t.completions },
    { t: t.t, series: 'backlog B (jobs)', value: t.backlog },
  ])
  return {
    id: `autoscale-${v.middleware}`,
    title: `Autoscaler on ${v.middleware} (${v.profile} profile, ${v.settings}, run ${runTime(v.runAt)} UTC)`,
    spec: {
      vconcat: [
        {
          width: W,
          height: 180,
          data: { values: rates },
          mark: { type: 'line', tooltip: true },
          encoding: {
            x: { field: 't', type: 'quantitative', title: null, scale: { nice: false } },
            y: { field: 'value', type: 'quantitative', title: 'jobs/s, jobs' },
            color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 300, orient: 'top' } },
          },
        },
        {
          width: W,
          height: 100,
          data: { values: v.timeline },
          // A tick records the workers that served since the tick before: drawn over that second.
          mark: { type: 'line', interpolate: 'step-before', color: '#d62728' },
          encoding: { x: { field: 't', type: 'quantitative', title: null, scale: { nice: false } }, y: { field: 'workers', type: 'quantitative', title: 'workers N' } },
        },
        {
          width: W,
          height: 100,
          data: { values: v.timeline },
          mark: { type: 'line', color: '#9467bd' },
          encoding: { x: { field: 't', type: 'quantitative', title: 'time (s)', scale: { nice: false } }, y: { field: 'p99Ms', type: 'quantitative', title: 'p99 (ms)' } },
        },
      ],
    },
  }
}
