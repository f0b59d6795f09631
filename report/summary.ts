// The same findings as the HTML page, as Markdown for a terminal or a pull request.
import { drainsOf } from '../autoscale/run.ts'
import { anySuperseded, cpuText, runCell, skippedLabel, SUPERSEDED_NOTE, type ReportData } from './model.ts'

const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : String(n))

export function renderSummary(data: ReportData): string {
  const out: string[] = [`# mwlab report`, '', `Generated ${data.generatedAt}.`, '']
  if (anySuperseded(data)) out.push(SUPERSEDED_NOTE, '')
  if (data.skipped.length) {
    out.push('## Skipped', '', ...data.skipped.map((s) => `- ${skippedLabel(s)}: ${s.reason}`), '')
  }
  if (data.throughput.length) {
    out.push('## Throughput and tail latency', '', '| middleware | op | mode | nodes | load | run (UTC) | ops/s | min..max | p50 ms | p99 ms | p99.9 ms | max ms | lost | CPU µs/call (+ broker) |', '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|')
    for (const r of data.throughput) {
      out.push(`| ${r.middleware}${r.partial ? ' (partial)' : ''} | ${r.op} | ${r.mode} | ${r.nodes} | ${r.config} | ${runCell(r)} | ${f(r.opsPerSec)} | ${f(r.opsMin)}..${f(r.opsMax)} | ${f(r.p50Ms, 2)} | ${f(r.p99Ms, 2)} | ${f(r.p999Ms, 2)} | ${f(r.maxMs, 2)} | ${r.lost} | ${cpuText(r)} |`)
    }
    out.push('')
  }
  if (data.speedups.length) {
    out.push('## Speedup', '', '| middleware | work | run (UTC) | S(2) | S(3) | Amdahl f | note |', '|---|---|---|---|---|---|---|')
    for (const v of data.speedups) {
      const s = (n: number) => v.points.find((p) => p.nodes === n)?.speedup
      out.push(`| ${v.series} | ${v.work} | ${runCell(v)} | ${s(2) === undefined ? '' : f(s(2)!, 2)} | ${s(3) === undefined ? '' : f(s(3)!, 2)} | ${f(v.amdahlSerialFraction, 3)} | ${v.capNote ?? ''} |`)
    }
    out.push('')
  }
  if (data.autoscale.length) {
    out.push('## Autoscaler', '')
    for (const a of data.autoscale) {
      out.push(`- ${a.middleware}${a.partial ? ' (partial)' : ''}, ${a.profile} (${a.settings}), run ${runCell(a)}: sent ${a.sent}, ok ${a.ok}, failed ${a.failed}, lost ${a.lost}; time to drain the backlog after each step: ${drainsOf(a.drainTimes, a.drainLimitS)}; max workers ${a.maxWorkers}`)
    }
    out.push('')
  }
  out.push('## Environment', '', ...Object.entries(data.environment).map(([k, v]) => `- ${k}: ${v}`), '')
  return out.join('\n')
}
