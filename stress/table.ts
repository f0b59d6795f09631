// Renders results as plain-text tables for the terminal: one row per run (ops/s median with
// the min-max spread over repetitions, latency percentiles, errors, lost), then the
// calibration ratios and, for find-max, the rate-vs-latency curve.
import { timesRaw, type CpuPerCall } from './cpu-meter.ts'
import { runLabel, type CpuSummary, type StressResult } from './result.ts'

export function formatUs(us: number | undefined): string {
  if (us === undefined || !Number.isFinite(us)) return '-'
  if (us < 1000) return `${Math.round(us)}µs`
  if (us < 1_000_000) return `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)}ms`
  return `${(us / 1_000_000).toFixed(2)}s`
}

export function formatRate(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '-'
  return Math.round(x).toLocaleString('en-US')
}

function render(header: string[], rows: string[][], rightAligned: Set<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

function stateCell(r: StressResult): string {
  if (r.state === 'completed') return r.summary.balanced ? 'ok' : 'UNBALANCED'
  if (r.state === 'partial') return `partial: ${r.reason}`
  return `failed: ${firstLine(r.error.message)}`
}

function firstLine(s: string): string {
  const l = s.split('\n')[0]
  return l.length > 90 ? l.slice(0, 87) + '...' : l
}

export function resultsTable(results: StressResult[]): string {
  const header = ['middleware', 'op', 'load', 'nodes', 'ops/s median', '[min-max]', 'p50', 'p99', 'p99.9', 'max', 'errors', 'lost', 'state']
  const rows = results.map((r) => {
    const s = r.summary
    const load = r.findMax
      ? `find-max ${formatRate(r.findMax.maxSustainableRate ?? undefined)}/s`
      : r.spec.load.mode === 'closed'
        ? `closed c=${r.spec.load.concurrency}`
        : `open ${formatRate(r.spec.load.rate)}/s`
    const t = s?.throughput
    const a = s?.accounting
    return [
      runLabel(r),
      r.op,
      load,
      String(r.spec.nodes),
      formatRate(t?.median),
      t && t.n > 1 ? `[${formatRate(t.min)}-${formatRate(t.max)}]` : '',
      formatUs(s?.latency.p50Us),
      formatUs(s?.latency.p99Us),
      formatUs(s?.latency.p999Us),
      formatUs(s?.latency.maxUs),
      a ? String(a.failedTotal + a.timedOut) : '-',
      a ? String(a.lost) : '-',
      stateCell(r),
    ]
  })
  return render(header, rows, new Set([3, 4, 6, 7, 8, 9, 10, 11]))
}

export function calibrationTable(results: StressResult[]): string | undefined {
  const rows: string[][] = []
  for (const r of results) {
    const c = r.calibration
    if (!c) continue
    const b = c.baseline
    rows.push([runLabel(r), b.name, formatRate(b.throughput?.median), formatRate(r.summary?.throughput.median), c.ratio?.toFixed(2) ?? '-', rangeOf(c.pairedRatios), b.state === 'failed' ? `failed: ${firstLine(b.error?.message ?? '')}` : b.state])
    if (c.generator) {
      const g = c.generator
      rows.push([`${runLabel(r)} (generator)`, 'mwlab-http vs autocannon', formatRate(g.autocannon.throughput?.median), formatRate(g.mwlab.throughput?.median), g.ratio?.toFixed(2) ?? '-', rangeOf(g.pairedRatios), g.mwlab.state])
    }
  }
  if (rows.length === 0) return undefined
  return render(['middleware', 'raw baseline', 'baseline ops/s', 'mwlab ops/s', 'ratio', 'per round', 'state'], rows, new Set([2, 3, 4]))
}

/** "70 + 12": µs of CPU per call in mwlab's processes, plus the broker's when recorded. */
export function cpuCell(p: CpuPerCall): string {
  return `${Math.round(p.ownUs)}${p.brokerUs === undefined ? '' : ` + ${Math.round(p.brokerUs)}`}`
}

/**
 * CPU per completed call (stress/cpu-meter.ts), medians over the repetitions: mwlab's
 * processes (load generator, nodes it started, workers) and the broker's, beside the raw
 * baseline's measured the same way, and how busy the machine was. Undefined without /proc.
 */
export function cpuTable(results: StressResult[]): string | undefined {
  const rows: string[][] = []
  const cell = (c: CpuSummary | undefined) => (c ? cpuCell(c.perCall) : '-')
  const pct = (x: number | undefined) => (x === undefined ? '-' : `${Math.round(x * 100)}%`)
  for (const r of results) {
    const c = r.summary?.cpu
    if (!c) continue
    const raw = r.calibration?.baseline
    const times = raw?.cpu && timesRaw(c.perCall, raw.cpu.perCall, c.nodeCounted !== false)
    const factor = times === undefined ? '-' : times.toFixed(2)
    rows.push([runLabel(r), cell(c), raw?.cpu ? `${raw.name} ${cell(raw.cpu)}` : '-', factor, pct(c.machineBusy), pct(c.machineSteal)])
  }
  if (rows.length === 0) return undefined
  return render(['middleware', 'µs/call (+ broker)', 'raw baseline µs/call', 'x raw', 'machine busy', 'stolen'], rows, new Set([1, 3, 4, 5]))
}

/** The spread of the round-by-round ratios, e.g. "0.69-0.97" ("-" with fewer than two rounds). */
export function rangeOf(xs: number[] | undefined): string {
  if (!xs || xs.length < 2) return '-'
  const lo = Math.min(...xs).toFixed(2)
  const hi = Math.max(...xs).toFixed(2)
  return lo === hi ? lo : `${lo}-${hi}`
}

/** "0.50 (rounds 0.44-0.57)": a calibration ratio of medians, and how far its rounds ranged. */
export function ratioWithRounds(ratio: number, rounds: number[] | undefined): string {
  const range = rangeOf(rounds)
  return range === '-' ? ratio.toFixed(2) : `${ratio.toFixed(2)} (rounds ${range})`
}

export function findMaxTable(r: StressResult): string | undefined {
  const fm = r.findMax
  if (!fm) return undefined
  const rows = fm.steps.map((s) => [
    formatRate(s.rate),
    formatRate(s.achieved),
    formatUs(s.latency?.p50Us),
    formatUs(s.latency?.p99Us),
    formatUs(s.latency?.maxUs),
    s.accounting ? String(s.accounting.lost) : '-',
    s.sustainable ? 'holds' : `no: ${s.why ?? ''}`,
  ])
  const head = `${r.middleware} ${r.op}: highest sustainable rate ${fm.maxSustainableRate === null ? 'none' : formatRate(fm.maxSustainableRate) + ' ops/s'} (p99 bound ${fm.p99BoundMs} ms${fm.probe ? `; closed-loop probe at c=${fm.probe.concurrency}: ${formatRate(fm.probe.throughput)} ops/s` : ''})`
  return head + '\n' + render(['offered ops/s', 'achieved', 'p50', 'p99', 'max', 'lost', 'verdict'], rows, new Set([0, 1, 2, 3, 4, 5]))
}
