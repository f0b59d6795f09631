// Where the CPU of a measured window went, read from Linux's /proc at its start and end:
// mwlab's own processes (this one with its load-generator threads and in-process nodes,
// plus every process it started, such as a master's workers), the local broker's processes,
// and the whole machine (busy, and stolen by the hypervisor). Divided by the calls completed
// in the window, it says what one call costs, which is what a throughput ratio between two
// stacks on the same cores comes down to. Elsewhere than Linux nothing is read.
import { readdirSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'

/** /proc reports CPU times in clock ticks of 1/100 s on every Linux architecture mwlab runs on. */
export const TICK_MS = 10

export interface CpuSnapshot {
  /** ticks of this process and each of its descendants, by pid and start time */
  own: Map<string, number>
  /** the same for the broker's processes; undefined without broker pids */
  broker?: Map<string, number>
  /** the machine's ticks summed over all cores: busy, stolen, and all */
  machineBusy: number
  machineSteal: number
  machineTotal: number
}

/** CPU used in one window. */
export interface CpuUse {
  /** ms of CPU of mwlab's processes (see the file comment) */
  ownMs: number
  /** ms of CPU of the local broker's processes; absent when it is not one mwlab started */
  brokerMs?: number
  /** fraction of the machine's cores busy over the window (0..1), whoever used them */
  machineBusy: number
  /** fraction of the machine's cores the hypervisor gave to other guests: a slow spell shows here */
  machineSteal: number
  cores: number
}

export interface ProcStat {
  ppid: number
  /** user + system, all threads (or one thread, from /proc/<pid>/task/<tid>/stat) */
  ticks: number
  /** ticks after boot when it started: with the pid, tells a process from a later one reusing its pid */
  startedAt: number
}

/** The parent, CPU ticks and start time in a /proc/<pid>[/task/<tid>]/stat line. */
export function parseProcStat(stat: string): ProcStat {
  // The command name is in parentheses and may hold spaces: fields count from the last ')',
  // the state being field 3 of proc(5).
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), startedAt: Number(f[19]) }
}

interface ProcessTable {
  /** pid -> parent, CPU ticks (user + system, all threads) and start time */
  stats: Map<number, ProcStat>
  /** pid -> its children's pids */
  children: Map<number, number[]>
}

/** Every process readable now. */
function processTable(): ProcessTable {
  const stats = new Map<number, ProcStat>()
  const children = new Map<number, number[]>()
  for (const name of readdirSync('/proc')) {
    const pid = Number(name)
    if (!Number.isInteger(pid)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    } catch {
      continue // exited since the listing
    }
    const s = parseProcStat(stat)
    stats.set(pid, s)
    const siblings = children.get(s.ppid)
    if (siblings) siblings.push(pid)
    else children.set(s.ppid, [pid])
  }
  return { stats, children }
}

/** CPU ticks of `roots` and every process below them, by process, leaving out the trees rooted at `skip`. */
function treeTicks({ stats, children }: ProcessTable, roots: readonly number[], skip: readonly number[] = []): Map<string, number> {
  const ticks = new Map<string, number>()
  const seen = new Set<number>(skip)
  const todo = [...roots]
  while (todo.length > 0) {
    const pid = todo.pop()!
    if (seen.has(pid)) continue
    seen.add(pid)
    const s = stats.get(pid)
    if (s) ticks.set(`${pid}@${s.startedAt}`, s.ticks)
    todo.push(...(children.get(pid) ?? []))
  }
  return ticks
}

/**
 * Ticks used between two readings by the processes alive at the second: one that started in
 * between counts whole, one that exited in between is left out (its ticks are gone with it).
 */
function ticksBetween(a: Map<string, number>, b: Map<string, number>): number {
  let n = 0
  for (const [key, ticks] of b) n += ticks - (a.get(key) ?? 0)
  return n
}

/** The machine's busy, stolen and total ticks over all cores, from /proc/stat's first line. */
function machineTicks(): { busy: number; steal: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]
  // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user)
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number)
  const busy = user + nice + system + irq + softirq
  return { busy, steal: steal ?? 0, total: busy + idle + iowait + (steal ?? 0) }
}

export class CpuMeter {
  private constructor(private readonly brokerPids: readonly number[] | undefined) {}

  /** A meter, or undefined where /proc cannot be read (not Linux). */
  static open(brokerPids?: readonly number[]): CpuMeter | undefined {
    try {
      readFileSync('/proc/self/stat')
      readFileSync('/proc/stat')
    } catch {
      return undefined
    }
    return new CpuMeter(brokerPids?.length ? brokerPids : undefined)
  }

  read(): CpuSnapshot {
    const table = processTable()
    const m = machineTicks()
    return {
      // A broker that this process started (`up` on first use) is its child: it counts as the broker.
      own: treeTicks(table, [process.pid], this.brokerPids),
      broker: this.brokerPids && treeTicks(table, this.brokerPids),
      machineBusy: m.busy,
      machineSteal: m.steal,
      machineTotal: m.total,
    }
  }
}

/** What was used between two snapshots. */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): CpuUse {
  const total = Math.max(1, b.machineTotal - a.machineTotal)
  const use: CpuUse = {
    ownMs: ticksBetween(a.own, b.own) * TICK_MS,
    machineBusy: round3((b.machineBusy - a.machineBusy) / total),
    machineSteal: round3((b.machineSteal - a.machineSteal) / total),
    cores: availableParallelism(),
  }
  if (a.broker && b.broker) use.brokerMs = ticksBetween(a.broker, b.broker) * TICK_MS
  return use
}

/** CPU per completed call, µs: mwlab's processes and the broker's. */
export interface CpuPerCall {
  ownUs: number
  brokerUs?: number
}

/**
 * How many times the raw baseline's CPU per call a run's is (totals, broker included), or
 * undefined unless like is compared with like: both with the broker's share or both without,
 * and the run's node counted (not a node given with --server, while the raw echo server is).
 */
export function timesRaw(own: CpuPerCall, raw: CpuPerCall, nodeCounted = true): number | undefined {
  if (!nodeCounted || (own.brokerUs === undefined) !== (raw.brokerUs === undefined)) return undefined
  const total = (p: CpuPerCall) => p.ownUs + (p.brokerUs ?? 0)
  return total(raw) > 0 ? total(own) / total(raw) : undefined
}

export function perCall(u: CpuUse, calls: number): CpuPerCall | undefined {
  if (calls <= 0) return undefined
  const per: CpuPerCall = { ownUs: round1((u.ownMs * 1000) / calls) }
  if (u.brokerMs !== undefined) per.brokerUs = round1((u.brokerMs * 1000) / calls)
  return per
}

function round1(x: number): number {
  return Math.round(x * 10) / 10
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000
}
