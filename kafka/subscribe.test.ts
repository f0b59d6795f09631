// subscribe() reads the trending topic from "now": the first update a subscriber gets is
// the first broadcast after it subscribed (none older, none skipped), and every subscriber
// gets the same sequence.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { ReviewClient, RunningNode } from '../core/contract.ts'
import type { TrendingUpdate } from '../core/schemas.ts'
import { uniqueNamespace } from '../test/topology.ts'
import driver from './driver.ts'
import { deleteNamespace } from './namespace.ts'

const INTERVAL = 1000
const broker = inject('brokers').kafka
const ns = uniqueNamespace('ksub')

async function firstUpdates(client: ReviewClient, n: number): Promise<TrendingUpdate[]> {
  const ac = new AbortController()
  const timer = setTimeout(() => ac.abort(), 20_000)
  const got: TrendingUpdate[] = []
  for await (const u of client.subscribe({ signal: ac.signal })) {
    got.push(u)
    if (got.length >= n) break
  }
  clearTimeout(timer)
  return got
}

describe('kafka subscribe', () => {
  let node: RunningNode
  let a: ReviewClient
  let b: ReviewClient

  beforeAll(async () => {
    expect(broker, 'no Kafka broker from global setup').toBeTruthy()
    node = await driver.serve('single', { broker, namespace: ns, broadcastMs: INTERVAL })
    a = await driver.connect({ server: node.address })
    b = await driver.connect({ server: node.address })
    // Let a few broadcasts pile up in the topic first: a subscriber must not see them.
    await new Promise((r) => setTimeout(r, 2.5 * INTERVAL))
  })

  afterAll(async () => {
    await Promise.allSettled([a?.close(), b?.close()])
    await node?.close()
    await deleteNamespace(broker, ns)
  })

  it('starts at the first broadcast after subscribing, in order, the same for every subscriber', async () => {
    const t0 = Date.now()
    const [ua, ub] = await Promise.all([firstUpdates(a, 3), firstUpdates(b, 3)])
    expect(ua[0]!.at).toBeGreaterThanOrEqual(t0 - 5) // nothing from before subscribe()
    // The first broadcast after subscribe() is not skipped (timer jitter allowed for).
    expect(ua[0]!.at).toBeLessThanOrEqual(t0 + INTERVAL + 500)
    expect(ua.map((u) => u.seq)).toEqual([ua[0]!.seq, ua[0]!.seq + 1, ua[0]!.seq + 2])
    // b subscribed within a millisecond of a: the same stream (at most one broadcast apart
    // if one landed right between the two), identical wherever both saw an update.
    expect(Math.abs(ub[0]!.seq - ua[0]!.seq)).toBeLessThanOrEqual(1)
    const common = ua.filter((u) => ub.some((v) => v.seq === u.seq))
    expect(common.length).toBeGreaterThanOrEqual(2)
    for (const u of common) expect(ub.find((v) => v.seq === u.seq)).toEqual(u)
  })
})
