// Prints a speedup result as a table (to stdout: it is the result).
import type { SpeedupResult } from './result.ts'

const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '-')

export function formatSpeedup(r: SpeedupResult): string {
  const head = `${r.middleware}, ${r.work}-bound (cpu=${r.cost.cpuMicros}µs io=${r.cost.ioMillis}ms per job, ${r.jobConcurrency} job(s) at once per worker), ${r.cores} cores`
  const rows = r.points.map(
    (p) =>
      `  n=${String(p.nodes).padEnd(2)}  X=${f(p.throughput.median).padStart(7)}/s (${f(p.throughput.min)}..${f(p.throughput.max)})  S=${f(p.speedup, 2)}  eff=${f(p.efficiency, 2)}  M/M/c S=${f(r.mmc.find((m) => m.nodes === p.nodes)?.speedup ?? NaN, 2)}  p99=${f(p.p99Ms, 1)}ms  lost=${p.accounting.lost}`,
  )
  const tail = [`  Amdahl serial fraction f=${f(r.amdahlSerialFraction, 3)}; μ (1 worker) = ${f(r.serviceRate)}/s`]
  if (r.capNote) tail.push(`  note: ${r.capNote}`)
  if (r.state !== 'completed') tail.push(`  ${r.state}: ${r.reason ?? ''}`)
  return [head, ...rows, ...tail].join('\n')
}
