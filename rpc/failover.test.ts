// A master with 3 worker processes; a client calls submitReview and moderate in a loop
// while one worker is SIGKILLed mid-way. Every call must eventually succeed, every
// successful submit must be stored exactly once, and the dead worker must leave the
// registry within 3 heartbeats.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { MISSED_BEATS_TO_EVICT } from '../cluster/registry.ts'
import type { ReviewClient } from '../core/contract.ts'
import { waitFor } from '../test/topology.ts'
import driver from './driver.ts'
import { startNode, type RpcNode } from './node.ts'

const HB = 250
const RUN_MS = 3000
const CONCURRENCY = 8
const PRODUCT = 'B0FAILOVER'

let master: RpcNode
let client: ReviewClient

beforeAll(async () => {
  master = await startNode('master', { heartbeatMs: HB, workers: 3 })
  await waitFor('3 registered workers', async () => (await master.workers()).length === 3, 30_000)
  client = await driver.connect({ server: master.address, timeoutMs: 15_000 })
})
afterAll(async () => {
  await client?.close()
  await master?.close()
})

it('loses no call and applies no submit twice when a worker is SIGKILLed', async () => {
  const before = await master.workers()
  expect(before.every((w) => typeof w.pid === 'number' && w.address?.startsWith('http://127.0.0.1:'))).toBe(true)
  const sup = master.supervisor!
  expect(sup.list()).toHaveLength(3)

  let submitted = 0
  let moderated = 0
  const failures: unknown[] = []
  const end = Date.now() + RUN_MS
  const loop = async (n: number) => {
    for (let i = 0; Date.now() < end; i++) {
      try {
        if ((i + n) % 2 === 0) {
          await client.submitReview({ productId: PRODUCT, reviewerId: `u${n}`, rating: 1 + (i % 5), text: `review ${n}.${i}` })
          submitted++
        } else {
          const m = await client.moderate(`you idiot ${n}.${i}`)
          expect(m.hits).toBe(1)
          moderated++
        }
      } catch (err) {
        failures.push(err)
      }
    }
  }

  const victim = before[1]
  let killedAt = 0
  const killer = (async () => {
    await new Promise((r) => setTimeout(r, RUN_MS / 3))
    killedAt = Date.now()
    await sup.kill(victim.id) // SIGKILL: no deregistration, the registry must notice
  })()
  await Promise.all([...Array.from({ length: CONCURRENCY }, (_, n) => loop(n)), killer])

  expect(failures).toEqual([])
  expect(submitted).toBeGreaterThan(0)
  expect(moderated).toBeGreaterThan(0)
  const stats = await client.productStats(PRODUCT)
  expect(stats.count).toBe(submitted)

  // Evicted within 3 heartbeats of its last beat (which came before the kill), give or take sweep and scheduling.
  await waitFor('dead worker evicted', async () => !(await master.workers()).some((w) => w.id === victim.id), 10_000, 20)
  expect(Date.now() - killedAt).toBeLessThan(HB * (MISSED_BEATS_TO_EVICT + 2) + RUN_MS)
  const after = await master.workers()
  expect(after.map((w) => w.id).sort()).toEqual(before.filter((w) => w.id !== victim.id).map((w) => w.id).sort())
})

it('evicts a SIGKILLed worker within 3 heartbeats while idle', async () => {
  const [victim] = await master.workers()
  const killedAt = Date.now()
  await master.supervisor!.kill(victim.id)
  await waitFor('dead worker evicted', async () => !(await master.workers()).some((w) => w.id === victim.id), 10_000, 10)
  const gone = Date.now() - killedAt
  expect(gone).toBeLessThanOrEqual(HB * MISSED_BEATS_TO_EVICT + HB) // + one sweep period and scheduling slack
  // the survivor still serves, and the client reaches it
  expect(await client.moderate('garbage')).toEqual({ text: 'CENSORED', hits: 1 })
})

it('scales up and gracefully down without failing calls, and close() stops every worker process', async () => {
  await master.scaleTo!(3)
  await waitFor('3 live workers', async () => (await master.workers()).length === 3, 30_000)
  const pids = (await master.workers()).map((w) => w.pid!)
  expect(pids.every((p) => p > 0)).toBe(true)

  const failures: unknown[] = []
  let calls = 0
  let scaling = true
  const load = (async () => {
    while (scaling) await client.moderate('scam').then(() => calls++, (err: unknown) => failures.push(err))
  })()
  await master.scaleTo!(1) // SIGTERM: each stopped worker deregisters and finishes its in-flight calls
  scaling = false
  await load
  expect(failures).toEqual([])
  expect(calls).toBeGreaterThan(0)
  expect(await master.workers()).toHaveLength(1)

  await master.close()
  const alive = pids.filter((pid) => {
    try {
      process.kill(pid, 0)
      return true
    } catch {
      return false
    }
  })
  expect(alive).toEqual([])
})
