// Where a process's CPU went, from a V8 CPU profile: self time by package and by function,
// and which calls lead to one function. Take a profile with `node --cpu-prof
// --cpu-prof-dir=DIR bin/mwlab.mjs ...` (a server with `serve`, a client with `stress --server
// ADDR --load-workers 0`, so each runs in its own process), then:
//   node --import tsx scripts/profile-top.ts FILE.cpuprofile [TOP=30]
//   node --import tsx scripts/profile-top.ts FILE.cpuprofile --callers NAME [DEPTH=4]
// Self time only: a builtin such as JSON.stringify often counts toward the function calling it.
import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

const [file, ...rest] = process.argv.slice(2)
if (!file) {
  console.error('usage: profile-top.ts FILE.cpuprofile [TOP] | --callers NAME [DEPTH]')
  process.exit(2)
}
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile
const byId = new Map(p.nodes.map((n) => [n.id, n]))
const parent = new Map<number, number>()
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
const selfUs = new Map<number, number>()
p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)))
const total = [...selfUs.values()].reduce((a, b) => a + b, 0)

const short = (url: string) => url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(?=(core|rpc|grpc|redis|rabbitmq|kafka|stress|cluster|autoscale|report|lab|cli)\/)/, '')
const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`
function packageOf(n: ProfileNode): string {
  const url = n.callFrame.url
  if (url.includes('node_modules/')) return url.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1')
  if (url.startsWith('node:')) return 'node internals'
  if (url === '') return n.callFrame.functionName || '(native)'
  return `mwlab ${short(url).split('/')[0]}/`
}

function top(by: (n: ProfileNode) => string, count: number): string {
  const sums = new Map<string, number>()
  for (const [id, us] of selfUs) {
    const k = by(byId.get(id)!)
    sums.set(k, (sums.get(k) ?? 0) + us)
  }
  return [...sums]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([k, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`)
    .join('\n')
}

if (rest[0] === '--callers') {
  const name = rest[1]
  const depth = Number(rest[2] ?? 4)
  const chains = new Map<string, number>()
  for (const [id, us] of selfUs) {
    if (byId.get(id)!.callFrame.functionName !== name) continue
    const chain: string[] = []
    for (let cur = parent.get(id), d = 0; cur !== undefined && d < depth; cur = parent.get(cur), d++) chain.push(label(byId.get(cur)!))
    const k = chain.join(' <- ')
    chains.set(k, (chains.get(k) ?? 0) + us)
  }
  for (const [k, us] of [...chains].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`)
} else {
  const count = Number(rest[0] ?? 30)
  console.log(`${(total / 1000).toFixed(0)} ms sampled\n\nby package\n${top(packageOf, count)}\n\nby function\n${top(label, count)}`)
}
