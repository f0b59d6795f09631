// Where mwlab remembers the brokers it started: `<runDir>/<name>.state.json`, one file per
// broker. `mwlab brokers up` and `down` (and test global setup) are separate processes, so
// the pids and URLs must live on disk; one file each means two processes starting different
// brokers never overwrite each other's entry. Writes go through a temp file + rename so a
// reader never sees half a file.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { isAlive } from './proc.ts'
import { BROKER_NAMES, type BrokerName, type BrokerRecord } from './types.ts'

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** `.mwlab/brokers` under the repo root (gitignored), or env MWLAB_RUN_DIR. */
export function defaultRunDir(): string {
  return resolve(process.env.MWLAB_RUN_DIR ?? join(REPO_ROOT, '.mwlab', 'brokers'))
}

export type BrokerState = Partial<Record<BrokerName, BrokerRecord>>

function statePath(runDir: string, name: BrokerName): string {
  return join(runDir, `${name}.state.json`)
}

/** Every broker mwlab recorded in this run dir. */
export function readState(runDir: string): BrokerState {
  const state: BrokerState = {}
  for (const name of BROKER_NAMES) {
    const rec = readBrokerState(runDir, name)
    if (rec) state[name] = rec
  }
  return state
}

export function readBrokerState(runDir: string, name: BrokerName): BrokerRecord | undefined {
  const file = statePath(runDir, name)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  try {
    return JSON.parse(text) as BrokerRecord
  } catch (err) {
    throw new Error(`corrupt broker state ${file}; stop stray ${name} processes by hand and delete it`, { cause: err })
  }
}

/** Records (or with `undefined`, forgets) what mwlab started for one broker. */
export function writeBrokerState(runDir: string, name: BrokerName, record: BrokerRecord | undefined): void {
  const file = statePath(runDir, name)
  if (!record) return rmSync(file, { force: true })
  mkdirSync(runDir, { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(record, null, 2) + '\n')
  renameSync(tmp, file)
}

/**
 * Runs `fn` holding `<runDir>/<name>.lock`, so two processes (say, two test runs and a
 * `mwlab brokers up`) never start or stop the same broker at once. A lock whose holder
 * died is taken over.
 */
export async function withLock<T>(runDir: string, name: string, fn: () => Promise<T>, timeoutMs = 300_000): Promise<T> {
  mkdirSync(runDir, { recursive: true })
  const file = join(runDir, `${name}.lock`)
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' })
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const holder = Number(readTextOr(file, '0'))
    if (holder && !isAlive(holder)) {
      rmSync(file, { force: true })
      continue
    }
    if (Date.now() > deadline) throw new Error(`${file} is held by pid ${holder} for over ${timeoutMs} ms`)
    await sleep(200)
  }
  try {
    return await fn()
  } finally {
    rmSync(file, { force: true })
  }
}

function readTextOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return fallback // released between our attempt and this read
  }
}
