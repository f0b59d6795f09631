// Test runs (vitest global setup) share the brokers in one run dir. Several runs may
// overlap (CI shards, helpers on one machine), so a run must not stop a broker another run
// still uses: each live run is a holder in `<runDir>/test-runs.json`, and the last holder
// out stops the brokers that test runs started. Brokers started by `mwlab brokers up`, or
// given through env URLs, are never stopped here.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { down, status, up, type BrokerOptions } from './index.ts'
import { isAlive } from './proc.ts'
import { defaultRunDir, withLock } from './state.ts'
import type { BrokerName, BrokerStatus } from './types.ts'

interface TestRuns {
  /** pids of the test runs using the brokers now. */
  holders: number[]
  /** Brokers a test run started; stopped when the last holder leaves. */
  started: BrokerName[]
}

export interface TestBrokers {
  list: BrokerStatus[]
  /** Leaves; the last run out stops what test runs started. */
  release(): Promise<void>
}

export async function acquireForTests(opts: BrokerOptions & { log: (msg: string) => void }): Promise<TestBrokers> {
  const runDir = opts.runDir ?? defaultRunDir()
  const o = { ...opts, runDir }
  const list = await withLock(runDir, 'test-runs', async () => {
    const before = await status(o)
    // Stopped and not booting (no live pids): this run starts it.
    const fresh = before.filter((s) => !s.running && !s.external && !s.pids?.length).map((s) => s.name)
    if (fresh.length) o.log(`starting ${fresh.join(', ')} (stopped again after the last test run)`)
    let started: BrokerStatus[]
    try {
      started = await up(o)
    } catch (err) {
      if (fresh.length) await down({ ...o, only: fresh }).catch((e: unknown) => o.log(`cleanup after failed start: ${(e as Error).message}`))
      throw err
    }
    const runs = readRuns(runDir)
    writeRuns(runDir, {
      holders: [...runs.holders.filter((p) => p !== process.pid && isAlive(p)), process.pid],
      started: [...new Set([...runs.started, ...fresh])],
    })
    return started
  })

  const release = () =>
    withLock(runDir, 'test-runs', async () => {
      const runs = readRuns(runDir)
      const others = runs.holders.filter((p) => p !== process.pid && isAlive(p))
      if (others.length) {
        if (runs.started.length) o.log(`leaving ${runs.started.join(', ')} running for test run(s) pid ${others.join(',')}`)
        writeRuns(runDir, { holders: others, started: runs.started })
        return
      }
      if (runs.started.length) await down({ ...o, only: runs.started })
      writeRuns(runDir, { holders: [], started: [] })
    })
  return { list, release }
}

/**
 * `mwlab brokers up` keeps its brokers until `mwlab brokers down`, even those a test run
 * happened to start: they are no longer the test runs' to stop.
 */
export async function keepForUser(runDir: string, names: readonly BrokerName[]): Promise<void> {
  await withLock(runDir, 'test-runs', async () => {
    const runs = readRuns(runDir)
    if (runs.started.some((n) => names.includes(n))) writeRuns(runDir, { ...runs, started: runs.started.filter((n) => !names.includes(n)) })
  })
}

function runsPath(runDir: string): string {
  return join(runDir, 'test-runs.json')
}

function readRuns(runDir: string): TestRuns {
  try {
    return JSON.parse(readFileSync(runsPath(runDir), 'utf8')) as TestRuns
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { holders: [], started: [] }
    throw new Error(`corrupt ${runsPath(runDir)}; delete it`, { cause: err })
  }
}

function writeRuns(runDir: string, runs: TestRuns): void {
  writeFileSync(runsPath(runDir), JSON.stringify(runs, null, 2) + '\n')
}
