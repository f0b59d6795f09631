// The autoscaler loop against a simulated clock, a simulated queue and a pool whose
// resizes take time, as real worker processes do.
import { describe, expect, it } from 'vitest'
import { Autoscaler, type Meter, type Pool } from './autoscaler.ts'

class SimQueue implements Meter, Pool {
  now = 0
  sent = 0
  done = 0
  waiting = 0
  workers = 1
  resizes: number[] = []
  constructor(private readonly mu: number) {}
  arrivals() {
    return this.sent
  }
  completions() {
    return this.done
  }
  async backlog() {
    return this.waiting
  }
  size() {
    return this.workers
  }
  async scaleTo(n: number) {
    this.resizes.push(n)
    this.workers = n
  }
  /** one simulated second */
  step(rate: number) {
    this.now += 1000
    this.sent += rate
    this.waiting += rate
    const served = Math.min(this.waiting, this.workers * this.mu)
    this.waiting -= served
    this.done += served
  }
}

async function run(profile: number[], mu: number, policy = {}) {
  const q = new SimQueue(mu)
  const a = new Autoscaler(q, q, { now: () => q.now, policy: { initialCapacity: mu, ...policy } })
  for (const rate of profile) {
    q.step(rate)
    await a.tick()
  }
  await a.stop()
  return { q, a }
}

describe('autoscaler loop (simulated)', () => {
  it('sizes the pool from λ and B, within max, and drains after each step', async () => {
    const profile = [...Array(5).fill(100), ...Array(10).fill(700), ...Array(10).fill(100)]
    const { q, a } = await run(profile, 200, { max: 8, drainTargetMs: 2000, cooldownMs: 3000 })
    expect(Math.max(...q.resizes)).toBeLessThanOrEqual(8)
    expect(Math.max(...a.timeline.map((t) => t.workers))).toBeGreaterThanOrEqual(4) // 700/200 = 3.5
    // backlog gone within Tr + 2 s of the step up at t = 6
    const drained = a.timeline.find((t) => t.t > 6 && t.backlog === 0)
    expect(drained!.t - 6).toBeLessThanOrEqual(4)
    // and back down to one worker after the cool-down once load drops at t = 16
    expect(a.timeline.at(-1)!.workers).toBe(1)
  })

  it('does not read jobs in transit as saturation (Kafka lag): the capacity estimate stays true', async () => {
    // One worker of capacity 100/s keeping up with 50/s while the broker always counts 2 jobs
    // as waiting (fetched, not yet committed): completions/worker = 50 is not what it can do.
    const q = new SimQueue(100)
    const a = new Autoscaler(q, q, { now: () => q.now, policy: { initialCapacity: 100, max: 8 } })
    for (let i = 0; i < 6; i++) {
      q.step(50)
      q.waiting = 2
      await a.tick()
    }
    await a.stop()
    expect(a.timeline.every((t) => t.capacity === 100)).toBe(true)
    expect(q.resizes).toEqual([])
  })

  it('takes no capacity sample from a tick spanning a resize', async () => {
    // While the pool grows from 1 to 4, completions come from workers size() does not count yet.
    const q = new SimQueue(100)
    const finishers: (() => void)[] = []
    q.scaleTo = async (n: number) => {
      q.resizes.push(n)
      await new Promise<void>((r) => finishers.push(r))
      q.workers = n
    }
    const a = new Autoscaler(q, q, { now: () => q.now, policy: { initialCapacity: 100, max: 8, drainTargetMs: 2000 } })
    q.step(500) // 400 wait: the first tick starts a resize to 4 + ...
    await a.tick()
    expect(q.resizes.length).toBe(1)
    // the new workers already serve, but size() still says 1
    q.now += 1000
    q.sent += 500
    q.done += 400
    q.waiting += 100
    const during = await a.tick()
    expect(during.capacity).toBe(100) // not 400 completions / 1 worker
    for (const f of finishers) f()
    await a.stop()
  })

  it('holds through a cool-down instead of flapping', async () => {
    const profile = Array.from({ length: 30 }, (_, i) => (i % 2 ? 390 : 310))
    const { q, a } = await run(profile, 200, { cooldownMs: 5000 })
    expect(q.resizes.length).toBeLessThanOrEqual(3)
    // no shrink within the cool-down after a grow
    const changes = a.timeline.filter((t, i) => i > 0 && t.workers !== a.timeline[i - 1].workers)
    for (let i = 1; i < changes.length; i++) {
      const grewThenShrank = changes[i - 1].workers > (a.timeline[a.timeline.indexOf(changes[i - 1]) - 1]?.workers ?? 0) && changes[i].workers < changes[i - 1].workers
      if (grewThenShrank) expect(changes[i].t - changes[i - 1].t).toBeGreaterThanOrEqual(5)
    }
  })

  it('lets a bigger target overtake a slow resize, but a shrink waits for it', async () => {
    const q = new SimQueue(100)
    const releases: (() => void)[] = []
    const slow: Pool = {
      size: () => q.workers,
      scaleTo: (n) =>
        new Promise<void>((r) => {
          q.resizes.push(n)
          releases.push(() => {
            q.workers = n
            r()
          })
        }),
    }
    const a = new Autoscaler(q, slow, { now: () => q.now, policy: { initialCapacity: 100, cooldownMs: 0 } })
    q.step(300)
    await a.tick() // grows to 3 (+ backlog)
    const first = q.resizes[0]
    q.step(900)
    const r2 = await a.tick()
    expect(r2.reason).toBe('resizing')
    expect(q.resizes.length).toBe(2) // a bigger target started alongside
    expect(q.resizes[1]).toBeGreaterThan(first)
    for (let i = 0; i < 3; i++) {
      q.step(0)
      await a.tick()
    }
    expect(q.resizes.length).toBe(2) // no shrink while resizes are under way
    // The bigger grow ends first: the one it overtook is still starting workers, so no shrink yet.
    releases[1]()
    await new Promise((r) => setImmediate(r))
    q.step(0)
    await a.tick()
    expect(q.resizes.length).toBe(2)
    releases[0]()
    await new Promise((r) => setImmediate(r))
    q.step(0)
    await a.tick()
    expect(q.resizes.length).toBe(3) // every resize has ended: now it may shrink
    releases.forEach((r) => r())
    await a.stop()
  })

  it('starts no resize from a tick that ends after stop()', async () => {
    const q = new SimQueue(100)
    let release!: () => void
    const slow = new Promise<void>((r) => (release = r))
    q.backlog = async () => (await slow, 1000)
    const a = new Autoscaler(q, q, { now: () => q.now, policy: { initialCapacity: 100 } })
    q.step(500)
    const tick = a.tick()
    await a.stop()
    release()
    await tick
    expect(q.resizes).toEqual([])
  })

  it('started on a timer, never overlaps a slow tick, and stop() waits for the one in flight', async () => {
    const q = new SimQueue(100)
    let reading = 0
    let most = 0
    let read = 0
    q.backlog = async () => {
      most = Math.max(most, ++reading)
      await new Promise((r) => setTimeout(r, 60))
      reading--
      read++
      return 0
    }
    const a = new Autoscaler(q, q, { tickMs: 10, policy: { initialCapacity: 100 } })
    a.start()
    await new Promise((r) => setTimeout(r, 200))
    await a.stop()
    expect(most).toBe(1)
    expect(reading).toBe(0) // the tick under way at stop() had ended
    const after = read
    await new Promise((r) => setTimeout(r, 100))
    expect(read).toBe(after) // no tick after stop()
    expect(a.timeline.length).toBe(read)
  })
})
