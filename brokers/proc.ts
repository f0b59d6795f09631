// Process helpers shared by the local brokers: find a binary, start a server that outlives
// the command which started it, tell whether a recorded pid is still ours, stop it.
import { spawn } from 'node:child_process'
import { accessSync, constants, closeSync, openSync, readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { delimiter, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { BrokerUnavailableError, type BrokerName } from './types.ts'

// Debian puts server binaries in sbin, which a normal user's PATH often lacks.
const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin']

/** Absolute path of an executable on PATH (then sbin dirs), or undefined. */
export function findBinary(name: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  for (const dir of [...pathEnv.split(delimiter).filter(Boolean), ...SBIN_DIRS]) {
    const candidate = join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not in this dir; keep looking
    }
  }
  return undefined
}

/** Like findBinary, but a missing binary is a BrokerUnavailableError that says how to get it. */
export function requireBinary(broker: BrokerName, name: string, howToGet: string, pathEnv?: string): string {
  const found = findBinary(name, pathEnv)
  if (!found) throw new BrokerUnavailableError(broker, `${name} not found: ${howToGet}`)
  return found
}

/**
 * True when `pid` runs and is not a zombie. With `needle`, its command line must also
 * contain it: a pid recorded before a reboot may belong to an unrelated process by now,
 * and `down` must never signal that one.
 */
export function isAlive(pid: number, needle?: string): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    // ESRCH: gone. EPERM: it exists but is not ours to signal, so mwlab did not start it.
    return false
  }
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return true // no procfs (macOS): kill(0) is all we can know
  }
  if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false
  if (!needle) return true
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').includes(needle)
  } catch {
    return false // exited between the two reads
  }
}

export interface Started {
  pid: number
  /** Set once the process exited (e.g. a bad config); readiness loops stop waiting then. */
  exit?: { code: number | null; signal: NodeJS.Signals | null; error?: Error }
}

/** Starts a server in its own process group with output to `logFile`, so it survives our exit. */
export function spawnDetached(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }): Started {
  const fd = openSync(opts.logFile, 'a')
  try {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', fd, fd] })
    if (child.pid === undefined) throw new Error(`could not start ${cmd}`)
    const started: Started = { pid: child.pid }
    child.on('exit', (code, signal) => (started.exit = { code, signal }))
    child.on('error', (error) => (started.exit = { code: null, signal: null, error }))
    child.unref()
    return started
  } finally {
    closeSync(fd)
  }
}

/** Polls `check` until it returns true; throws `onTimeout()` after `timeoutMs`. */
export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  opts: { timeoutMs: number; intervalMs?: number; onTimeout: () => Error; onTick?: (elapsedMs: number) => void },
): Promise<void> {
  const start = Date.now()
  for (;;) {
    if (await check()) return
    const elapsed = Date.now() - start
    if (elapsed > opts.timeoutMs) throw opts.onTimeout()
    opts.onTick?.(elapsed)
    await sleep(opts.intervalMs ?? 250)
  }
}

/** SIGTERM, wait up to `graceMs` for every pid to go, then SIGKILL the rest. */
export async function terminate(pids: number[], graceMs: number, log: (msg: string) => void): Promise<void> {
  for (const pid of pids) signal(pid, 'SIGTERM', log)
  await waitForExit(pids, graceMs).catch(() => {
    const left = pids.filter((p) => isAlive(p))
    log(`pids ${left.join(',')} ignored SIGTERM for ${graceMs} ms; sending SIGKILL`)
    for (const pid of left) signal(pid, 'SIGKILL', log)
  })
  await waitForExit(pids, 5000)
}

export async function waitForExit(pids: number[], timeoutMs: number): Promise<void> {
  await waitUntil(() => pids.every((p) => !isAlive(p)), {
    timeoutMs,
    intervalMs: 100,
    onTimeout: () => new Error(`pids ${pids.filter((p) => isAlive(p)).join(',')} still running after ${timeoutMs} ms`),
  })
}

function signal(pid: number, sig: NodeJS.Signals, log: (msg: string) => void): void {
  try {
    process.kill(pid, sig)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') log(`kill ${sig} ${pid}: ${(err as Error).message}`)
  }
}

/** The last lines of a log file, for error messages when a server fails to start. */
export function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return `(no log at ${file})`
  }
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.setTimeout(1000)
    socket.once('connect', () => (socket.destroy(), resolvePromise(true)))
    socket.once('timeout', () => (socket.destroy(), resolvePromise(true)))
    socket.once('error', () => resolvePromise(false))
  })
}

/**
 * Status detail of a broker this checkout has no record of starting: whether something else
 * holds its port (often another checkout's broker), and how to use that one instead.
 */
export async function notStartedDetail(port: number, envVar: string, otherwise: string): Promise<string> {
  return (await portInUse(port)) ? `not started here; port ${port} is taken (another checkout's broker? set ${envVar} to use it)` : otherwise
}
