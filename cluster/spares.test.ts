// Warm spares: a supervisor keeps loaded, idle worker processes; starting a worker takes
// one of them (the same OS process serves), a new spare is loaded behind it, a spare is
// never registered or listed before it starts, and stopAll leaves no process behind.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readdirSync, readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import driver from '../rpc/driver.ts'
import type { RunningNode } from '../core/contract.ts'
import { waitFor } from '../test/topology.ts'
import { Supervisor } from './supervisor.ts'

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('supervisor spares', () => {
  let master: RunningNode
  let sup: Supervisor

  beforeAll(async () => {
    master = await driver.serve('master', { port: 0, heartbeatMs: 200 })
    sup = new Supervisor({ middleware: 'rpc', master: master.address, heartbeatMs: 200, spares: 2 })
  })
  afterAll(async () => {
    await sup?.stopAll()
    await master?.close()
  })

  it('starts workers from spares, refills them, and stops every process', async () => {
    const [first] = await sup.start(1)
    expect(sup.sparePids()).toHaveLength(2)
    const spares = sup.sparePids()
    // Loaded spares are neither listed nor registered with the master.
    await new Promise((r) => setTimeout(r, 1000))
    expect(sup.list().map((w) => w.id)).toEqual([first.id])
    expect((await master.workers()).map((w) => w.id)).toEqual([first.id])

    const more = await sup.start(2)
    expect(more.map((w) => w.pid).sort()).toEqual([...spares].sort())
    await waitFor('3 registered workers', async () => (await master.workers()).length === 3)
    expect(sup.sparePids()).toHaveLength(2)
    expect(sup.sparePids().some((p) => spares.includes(p))).toBe(false)

    const all = [first.pid!, ...more.map((w) => w.pid!), ...sup.sparePids()]
    await sup.stopAll()
    expect(all.filter(alive)).toEqual([])
    expect(sup.sparePids()).toEqual([])
  })

  it('a spare that died is passed over for a fresh worker, and another spare is loaded', async () => {
    const one = new Supervisor({ middleware: 'rpc', master: master.address, heartbeatMs: 200, spares: 1 })
    try {
      await one.start(1)
      const [spare] = one.sparePids()
      process.kill(spare, 'SIGKILL')
      const [w] = await one.start(1)
      expect(w.pid).not.toBe(spare)
      expect(w.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      await waitFor('a new spare', async () => one.sparePids().length === 1 && one.sparePids()[0] !== spare)
    } finally {
      await one.stopAll()
    }
  })

  it('never loads more spares than maxWorkers leaves room for, and loads them again after a shrink', async () => {
    const capped = new Supervisor({ middleware: 'rpc', master: master.address, heartbeatMs: 200, spares: 5, maxWorkers: 3 })
    try {
      await capped.start(1)
      expect(capped.sparePids()).toHaveLength(2)
      await capped.sparesLoaded()
      await capped.scaleTo(3)
      expect(capped.list()).toHaveLength(3)
      expect(capped.sparePids()).toEqual([])
      await capped.scaleTo(1)
      expect(capped.sparePids()).toHaveLength(2)
      await capped.sparesLoaded()
      // A grow overtaking a shrink: workers still stopping count, so no spare is loaded meanwhile.
      await capped.scaleTo(3)
      const leaving = capped.list().slice(1).map((w) => w.pid!) // the newest go first
      for (const pid of leaving) process.kill(pid, 'SIGSTOP') // they stay 'stopping' until continued
      const shrink = capped.scaleTo(1)
      await capped.scaleTo(2)
      expect(capped.sparePids()).toEqual([])
      for (const pid of leaving) process.kill(pid, 'SIGCONT')
      await shrink
      expect(capped.list()).toHaveLength(2)
      expect(capped.sparePids()).toHaveLength(1)
    } finally {
      await capped.stopAll()
    }
  })

  it('workers and spares stop on their own when their master is killed, and ignore a terminal Ctrl-C', async () => {
    const bin = fileURLToPath(new URL('../bin/mwlab.mjs', import.meta.url))
    const m = spawn(process.execPath, [bin, 'serve', 'rpc', '--role', 'master', '--port', '0', '--workers', '1', '--spare-workers', '1'], { stdio: ['ignore', 'pipe', 'inherit'] })
    try {
      await once(createInterface({ input: m.stdout! }), 'line') // the address: the worker is up
      const kids = await waitFor('a worker and a spare', async () => {
        const k = childPids(m.pid!)
        return k.length === 2 && k
      })
      await new Promise((r) => setTimeout(r, 1500)) // past the children's start-up (node itself, before any script runs)
      for (const k of kids) process.kill(k, 'SIGINT') // what Ctrl-C sends the whole group
      await new Promise((r) => setTimeout(r, 500))
      expect(kids.filter(alive)).toEqual(kids)
      m.kill('SIGKILL')
      await waitFor('the orphans to exit', async () => kids.every((p) => !alive(p)), 20_000)
    } finally {
      m.kill('SIGKILL')
    }
  })
})

/** Process ids whose parent is `pid` (Linux /proc). */
function childPids(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        // Fields after the command name, which sits in parentheses: state, then the parent's pid.
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8')
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid ? [Number(d)] : []
      } catch {
        return [] // exited meanwhile
      }
    })
}
