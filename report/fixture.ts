// A small hand-made ReportData for testing the renderer (not measurements: the report
// test checks that charts and tables render, not what they say).
import type { ReportData } from './model.ts'
import { amdahl } from '../speedup/models.ts'

const RUN_AT = '2026-01-01T00:00:00.000Z'

export function sampleReportData(): ReportData {
  const mws = ['rpc', 'grpc', 'redis', 'rabbitmq', 'kafka']
  const pcts = [50, 90, 99, 99.9, 100]
  return {
    generatedAt: '2026-01-01T00:00:00.000Z',
    environment: { cores: 2, node: 'v20.0.0', machine: 'fixture' },
    throughput: mws.map((m, i) => ({
      middleware: m, op: 'moderate', mode: 'closed', nodes: 1, config: 'c=64, complex', series: m, runAt: RUN_AT, superseded: false,
      opsPerSec: 1000 * (i + 1), opsMin: 900 * (i + 1), opsMax: 1100 * (i + 1),
      p50Ms: 1 + i, p90Ms: 2 + i, p99Ms: 5 + i, p999Ms: 9 + i, maxMs: 20 + i, sent: 10_000, lost: 0, failed: 0, partial: false,
      ofBaseline: 0.5, ofBaselineRounds: [0.45, 0.5, 0.55],
      cpu: { ownUs: 40 + i, brokerUs: i === 0 ? undefined : 10 }, rawCpu: { name: 'raw', perCall: { ownUs: 20, brokerUs: i === 0 ? undefined : 5 } }, cpuClientOnly: i === 4 || undefined,
    })),
    percentiles: mws.flatMap((m, i) => pcts.map((p, j) => ({ middleware: m, percentile: p, latencyMs: (i + 1) * (j + 1) }))),
    rateCurves: mws.flatMap((m, i) => [1000, 2000, 4000].map((r, j) => ({ middleware: m, offeredRate: r, achievedRate: r, p99Ms: (i + 1) * 2 ** j }))),
    speedups: (['io', 'cpu'] as const).flatMap((work) =>
      mws.map((m, i) => {
        const f = 0.05 * i
        const points = [1, 2, 3].map((n) => ({ nodes: n, throughput: 100 * amdahl(f, n), min: 95 * amdahl(f, n), max: 105 * amdahl(f, n), speedup: amdahl(f, n), efficiency: amdahl(f, n) / n }))
        return { middleware: m, series: m, runAt: RUN_AT, superseded: false, work, cost: { cpuMicros: work === 'cpu' ? 2000 : 0, ioMillis: work === 'io' ? 5 : 0 }, cores: 2, points, amdahlSerialFraction: f, mmc: [1, 2, 3].map((n) => ({ nodes: n, speedup: work === 'cpu' ? Math.min(n, 2) : n })), capNote: work === 'cpu' ? 'CPU-bound beyond 2 nodes is capped by the machine (2 cores), not the middleware.' : undefined }
      }),
    ),
    autoscale: [
      {
        middleware: 'redis', profile: 'steps', settings: 'max 8, 7 spares, io 10 ms', maxWorkers: 4, runAt: RUN_AT, superseded: false, partial: false, sent: 3000, ok: 3000, lost: 0, failed: 0,
        timeline: Array.from({ length: 20 }, (_, t) => ({ t, lambda: t < 10 ? 100 : 400, backlog: t === 10 ? 300 : 0, workers: t < 10 ? 1 : 4, completions: t < 10 ? 100 : 400, p99Ms: 10 })),
        drainTimes: [{ stepAt: 10, drainedAfterS: 1.5 }],
        drainLimitS: 4,
      },
    ],
    skipped: [{ middleware: 'example', stage: 'stress', reason: 'fixture row' }],
  }
}
