// One self-contained HTML page: charts inlined as SVG, tables, no scripts, no network.
import { drainsOf } from '../autoscale/run.ts'
import { ratioWithRounds } from '../stress/table.ts'
import type { Chart } from './charts.ts'
import { anySuperseded, cpuText, runCell, SUPERSEDED_NOTE, type ReportData } from './model.ts'

const CPU_NOTE =
  'CPU µs/call: CPU time of the load generator and the nodes it ran, per completed call, plus the broker\'s when mwlab started it ("node not counted": a node given with --server, whose CPU is not in it). In brackets the raw baseline\'s, measured the same way in the same run, and how many times it the run\'s total is: with the cores busy, a ratio to the baseline is about the inverse of that.'

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)
}

function table(head: string[], rows: (string | number)[][]): string {
  // An empty table would be a header over nothing (e.g. a directory with stress results only).
  if (rows.length === 0) return '<p class="note">No results of this kind here.</p>'
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')
  const tr = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(String(c))}</td>`).join('')}</tr>`).join('\n')
  return `<table><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`
}

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : String(n))

/** How the drain times were read: every poll period, or (older results) once a tick. */
function drainNote(runs: ReportData['autoscale']): string {
  const polls = [...new Set(runs.map((a) => a.drainPollMs))]
  const how = polls.map((ms) => (ms === undefined ? 'once a tick (older results)' : `every ${ms} ms`)).join(', or ')
  return `Drain: from a load step until at most one job per worker waits, the backlog read from the broker ${how}.`
}

export function renderHtml(data: ReportData, charts: { chart: Chart; svg: string }[]): string {
  const figure = (c: { chart: Chart; svg: string }) =>
    `<figure class="chart" id="chart-${c.chart.id}" data-chart="${c.chart.id}"><figcaption>${escapeHtml(c.chart.title)}</figcaption>${c.svg}</figure>`
  const byPrefix = (p: string) => charts.filter((c) => c.chart.id.startsWith(p)).map(figure).join('\n')

  const throughputTable = table(
    ['middleware', 'op', 'mode', 'nodes', 'load', 'run (UTC)', 'ops/s (median)', 'min..max', 'p50 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'sent', 'failed', 'lost', 'of baseline', 'CPU µs/call (+ broker)'],
    data.throughput.map((r) => [
      r.middleware + (r.partial ? ' (partial)' : ''),
      r.op,
      r.mode,
      r.nodes,
      r.config,
      runCell(r),
      fmt(r.opsPerSec),
      `${fmt(r.opsMin)}..${fmt(r.opsMax)}`,
      fmt(r.p50Ms, 2),
      fmt(r.p99Ms, 2),
      fmt(r.p999Ms, 2),
      fmt(r.maxMs, 2),
      r.sent,
      r.failed,
      r.lost,
      r.ofBaseline === undefined ? '' : ratioWithRounds(r.ofBaseline, r.ofBaselineRounds),
      cpuText(r),
    ]),
  )
  const speedupTable = table(
    ['middleware', 'work', 'run (UTC)', 'nodes', 'X(n) ops/s', 'S(n)', 'efficiency', 'Amdahl f', 'note'],
    data.speedups.flatMap((v) =>
      v.points.map((p) => [v.series, v.work, runCell(v), p.nodes, fmt(p.throughput), fmt(p.speedup, 2), fmt(p.efficiency, 2), fmt(v.amdahlSerialFraction, 3), p.nodes > 1 ? (v.capNote ?? '') : '']),
    ),
  )
  const autoscaleTable = table(
    ['middleware', 'profile', 'settings', 'run (UTC)', 'sent', 'ok', 'failed', 'lost', 'drain after each step (s)'],
    data.autoscale.map((a) => [a.middleware + (a.partial ? ' (partial)' : ''), a.profile, a.settings, runCell(a), a.sent, a.ok, a.failed, a.lost, drainsOf(a.drainTimes, a.drainLimitS)]),
  )
  const envTable = table(['what', 'value'], Object.entries(data.environment).map(([k, v]) => [k, v]))
  const skipped = data.skipped.length
    ? `<section id="skipped"><h2>Skipped</h2>${table(['middleware', 'stage', 'file', 'reason'], data.skipped.map((s) => [s.middleware, s.stage, s.file ?? '', s.reason]))}</section>`
    : ''

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mwlab report</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{margin-bottom:0}.sub{color:#666;margin-top:.2em}
table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}th{background:#f3f3f3}
figure.chart{margin:1.5em 0}figcaption{font-weight:bold;margin-bottom:.4em}
.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.5em 1em}
</style></head>
<body>
<h1>mwlab report</h1>
<p class="sub">Generated ${escapeHtml(data.generatedAt)} on ${escapeHtml(String(data.environment.cores ?? '?'))} cores. Throughput counts completed operations only; latencies are merged HDR histograms.</p>
${skipped}
${anySuperseded(data) ? `<p class="note">${escapeHtml(SUPERSEDED_NOTE)}</p>` : ''}
<section id="stress"><h2>Throughput and tail latency</h2>
${byPrefix('throughput')}
${throughputTable}
${data.throughput.some((r) => r.cpu) ? `<p class="note">${escapeHtml(CPU_NOTE)}</p>` : ''}
${byPrefix('percentiles')}
${byPrefix('rate-latency')}
</section>
<section id="speedup"><h2>Speedup over nodes</h2>
${data.speedups.some((v) => v.capNote) ? `<p class="note">${escapeHtml([...new Set(data.speedups.map((v) => v.capNote).filter(Boolean))].join(' '))}</p>` : ''}
${byPrefix('speedup')}
${speedupTable}
</section>
<section id="autoscale"><h2>Autoscaler</h2>
${byPrefix('autoscale')}
${autoscaleTable}
${data.autoscale.length ? `<p class="note">${escapeHtml(drainNote(data.autoscale))}</p>` : ''}
</section>
<section id="environment"><h2>Environment</h2>${envTable}</section>
</body></html>
`
}
