// runAutoscale against a fake driver: options are checked before anything starts, and the
// master is closed whatever happens after it started (no worker left behind).
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Driver, ReviewClient, RunningNode } from '../core/contract.ts'
import { checkAutoscaleOptions, runAutoscale, type AutoscaleOptions } from './run.ts'

const fake = vi.hoisted(() => ({ serve: 0, closed: 0, sparesLoaded: 0, opts: {} as Record<string, unknown>, connect: async (): Promise<unknown> => ({}) }))

vi.mock('../core/drivers.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../core/drivers.ts')>()),
  loadDriver: async (): Promise<Partial<Driver>> => ({
    serve: async (_role: string, o: Record<string, unknown>) => {
      fake.serve++
      fake.opts = o
      // A class, as some drivers' nodes are: its methods need `this`.
      class FakeNode {
        address = 'fake'
        size = 1
        async scaleTo(n: number) {
          if (!(this instanceof FakeNode)) throw new Error('scaleTo called without its node')
          this.size = n
        }
        async backlog() {
          if (!(this instanceof FakeNode)) throw new Error('backlog called without its node')
          return 0
        }
        async workers() {
          return Array.from({ length: this.size }, (_, i) => ({ id: `w${i}` }))
        }
        async sparesLoaded() {
          fake.sparesLoaded++
        }
        async close() {
          fake.closed++
        }
      }
      return new FakeNode() as unknown as RunningNode
    },
    connect: async () => (await fake.connect()) as ReviewClient,
  }),
}))

const opts: AutoscaleOptions = {
  middleware: 'redis',
  profile: 'bursts',
  max: 4,
  drainTargetMs: 2000,
  cooldownMs: 1000,
  tickMs: 50,
  cost: { cpuMicros: 0, ioMillis: 10 },
  timeScale: 0.05,
  spares: 0,
  broker: 'redis://fake',
}

beforeEach(() => {
  fake.serve = 0
  fake.closed = 0
  fake.sparesLoaded = 0
})

describe('runAutoscale', () => {
  it('rejects bad options before starting a master', async () => {
    for (const bad of [{ max: 0 }, { timeScale: 0 }, { timeScale: NaN }, { tickMs: 0 }, { drainTargetMs: 0 }, { cooldownMs: NaN }, { spares: -1 }]) {
      expect(() => checkAutoscaleOptions({ ...opts, ...bad }), JSON.stringify(bad)).toThrow(RangeError)
      await expect(runAutoscale({ ...opts, ...bad })).rejects.toThrow(RangeError)
    }
    expect(fake.serve).toBe(0)
  })

  it('closes the master when something fails after it started', async () => {
    fake.connect = async () => {
      throw new Error('connect failed')
    }
    await expect(runAutoscale(opts)).rejects.toThrow('connect failed')
    expect([fake.serve, fake.closed]).toEqual([1, 1])
  })

  it('after an interruption: partial, the steps not reached marked, the master closed', async () => {
    fake.connect = async () => ({ moderate: async () => ({}), close: async () => {} })
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 400) // the bursts profile steps at 200, 700 and 1200 ms here
    const r = await runAutoscale({ ...opts, signal: ac.signal })
    expect(r.state).toBe('partial')
    expect(r.interruptedAtS).toBeGreaterThan(0.2)
    expect(r.interruptedAtS).toBeLessThan(0.7)
    expect(r.drainTimes.map((d) => d.reached)).toEqual([true, false, false])
    expect(r.ok).toBe(r.sent)
    // Ticks read the master's backlog: none may fail (a method called without its node did).
    expect(r.timeline.length).toBeGreaterThan(2)
    expect(fake.closed).toBe(1)
  })

  it('keeps max - 1 spares unless told otherwise, bounded by max, and waits for them to load', async () => {
    fake.connect = async () => ({ moderate: async () => ({}), close: async () => {} })
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 100)
    const { spares: _omitted, ...rest } = opts
    const r = await runAutoscale({ ...rest, signal: ac.signal })
    expect(fake.opts).toMatchObject({ spareWorkers: 3, maxWorkers: 4 })
    expect(fake.sparesLoaded).toBe(1)
    expect(r.options.spares).toBe(3)
  })
})
