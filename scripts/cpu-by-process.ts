// Where the two cores go during a run: CPU seconds per process and per thread of Node, the
// brokers (redis-server, RabbitMQ's beam.smp, Kafka's java) over a window, read from /proc
// (Linux). Start a run, then in a second shell:
//   node --import tsx scripts/cpu-by-process.ts [SECONDS=5]
// Divide a process's CPU by the operations completed in the window for its cost per call.
// Node's unnamed helper threads ("node") are mostly V8's garbage collector.
// A process or thread that exits during the window is left out, so count short-lived ones apart.
import { readdirSync, readFileSync } from 'node:fs'
import { cpuSecondsOfStat } from './proc-cpu.ts'

const WATCHED = new Set(['node', 'redis-server', 'beam.smp', 'java'])

interface Thread {
  pid: string
  process: string
  thread: string
  cpu: number
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined // it exited while we looked
  }
}

function threads(): Map<string, Thread> {
  const out = new Map<string, Thread>()
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue
    const name = read(`/proc/${pid}/comm`)?.trim()
    if (!name || !WATCHED.has(name)) continue
    let tids: string[]
    try {
      tids = readdirSync(`/proc/${pid}/task`)
    } catch {
      continue
    }
    for (const tid of tids) {
      const stat = read(`/proc/${pid}/task/${tid}/stat`)
      if (!stat) continue
      const thread = `${read(`/proc/${pid}/task/${tid}/comm`)?.trim() ?? '?'}/${tid}`
      out.set(`${pid}/${tid}`, { pid, process: name, thread, cpu: cpuSecondsOfStat(stat) })
    }
  }
  return out
}

const seconds = Number(process.argv[2] ?? 5)
if (!(seconds > 0)) {
  console.error('usage: cpu-by-process.ts [SECONDS]  (a positive number)')
  process.exit(2)
}
const before = threads()
const t0 = performance.now()
await new Promise((r) => setTimeout(r, seconds * 1000))
const after = threads()
const window = (performance.now() - t0) / 1000

const perProcess = new Map<string, { name: string; cpu: number; threads: [string, number][] }>()
for (const [key, t] of after) {
  const cpu = t.cpu - (before.get(key)?.cpu ?? 0)
  const p = perProcess.get(t.pid) ?? { name: t.process, cpu: 0, threads: [] }
  p.cpu += cpu
  p.threads.push([t.thread, cpu])
  perProcess.set(t.pid, p)
}
const total = [...perProcess.values()].reduce((s, p) => s + p.cpu, 0)
console.log(`${window.toFixed(2)} s window: ${total.toFixed(2)} CPU s in the processes watched (${(total / window).toFixed(2)} cores)`)
for (const [pid, p] of [...perProcess].sort((a, b) => b[1].cpu - a[1].cpu)) {
  if (p.cpu < 0.01) continue
  const busy = p.threads.filter(([, c]) => c >= 0.01).sort((a, b) => b[1] - a[1])
  console.log(`  ${p.name} ${pid}: ${p.cpu.toFixed(2)} s  (${busy.map(([t, c]) => `${t} ${c.toFixed(2)}`).join(', ')})`)
}
