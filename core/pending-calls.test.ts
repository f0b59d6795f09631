import { describe, expect, it } from 'vitest'
import { RecentIds, RecentMap } from './bounded.ts'
import type { CallContext } from './client.ts'
import { PendingCalls } from './pending-calls.ts'

function ctx(): CallContext & { abandoned: boolean } {
  return { abandoned: false, requestId: 'r', deadline: Date.now() + 1000, onAbandon: () => () => {} }
}

describe('PendingCalls', () => {
  it('settles the waiting call with its result or error', async () => {
    const p = new PendingCalls()
    const a = p.wait('a', ctx())
    const b = p.wait('b', ctx())
    expect(p.settle('a', 42)).toBe(true)
    expect(p.settle('b', undefined, new Error('bad'))).toBe(true)
    await expect(a).resolves.toBe(42)
    await expect(b).rejects.toThrow('bad')
    expect(p.size).toBe(0)
    p.close(new Error('closed'))
  })

  it('counts a second reply to an answered call as a duplicate and one nobody asked for as late', async () => {
    const p = new PendingCalls()
    const a = p.wait('a', ctx())
    p.settle('a', 1)
    await a
    expect(p.settle('a', 1)).toBe(false)
    expect(p.settle('never-sent', 1)).toBe(false)
    expect(p.counters).toEqual({ duplicates: 1, late: 1 })
    p.close(new Error('closed'))
  })

  it('a reply for a call whose caller gave up is late, and the call is forgotten', async () => {
    const p = new PendingCalls()
    const c = ctx()
    const waited = p.wait('a', c)
    c.abandoned = true
    expect(p.settle('a', 1)).toBe(false)
    expect(p.counters).toEqual({ duplicates: 0, late: 1 })
    expect(p.size).toBe(0)
    // The transport's promise still ends (its caller was answered by core/client.ts), as a rejection.
    await expect(waited).rejects.toBeInstanceOf(Error)
    p.close(new Error('closed'))
  })

  it('sweeps abandoned calls that never get a reply', async () => {
    const p = new PendingCalls({ sweepMs: 10 })
    const c = ctx()
    let ended = false
    void p.wait('a', c).catch(() => (ended = true))
    void p.wait('b', ctx()).catch(() => undefined)
    c.abandoned = true
    await new Promise((r) => setTimeout(r, 40))
    expect(p.size).toBe(1)
    expect(ended).toBe(true) // whoever else waits on the swept call sees it end
    p.close(new Error('closed'))
  })

  it('fail rejects one call without counting a reply; close fails the rest and every later call', async () => {
    const p = new PendingCalls()
    const a = p.wait('a', ctx())
    const b = p.wait('b', ctx())
    p.fail('a', new Error('not sent'))
    await expect(a).rejects.toThrow('not sent')
    p.close(new Error('closed'))
    await expect(b).rejects.toThrow('closed')
    await expect(p.wait('c', ctx())).rejects.toThrow('closed')
    expect(p.counters).toEqual({ duplicates: 0, late: 0 })
  })

  it('remembers only the newest answered ids', async () => {
    const p = new PendingCalls({ rememberAnswered: 2 })
    for (const id of ['a', 'b', 'c']) {
      const w = p.wait(id, ctx())
      p.settle(id, id)
      await w
    }
    p.settle('a', 'a') // forgotten: late, not duplicate
    p.settle('c', 'c')
    expect(p.counters).toEqual({ duplicates: 1, late: 1 })
    p.close(new Error('closed'))
  })
})

describe('RecentMap and RecentIds', () => {
  it('forget the oldest insertion first', () => {
    const m = new RecentMap<string, number>(2)
    m.set('a', 1)
    m.set('b', 2)
    m.set('c', 3)
    expect([m.has('a'), m.get('b'), m.get('c'), m.size]).toEqual([false, 2, 3, 2])
    const ids = new RecentIds(1)
    ids.add('x')
    ids.add('y')
    expect([ids.has('x'), ids.has('y')]).toEqual([false, true])
  })

  it('keep the first insertion\'s place when a key is set again, and stay at capacity', () => {
    const m = new RecentMap<string, number>(3)
    for (const k of ['a', 'b', 'c']) m.set(k, 0)
    m.set('a', 9) // updated, still the oldest
    m.set('d', 0)
    expect([m.has('a'), m.get('b'), m.get('d'), m.size]).toEqual([false, 0, 0, 3])
    for (let i = 0; i < 1000; i++) m.set(`k${i}`, i)
    expect([m.size, m.get('k997'), m.get('k999'), m.has('k996')]).toEqual([3, 997, 999, false])
  })

  it('with capacity 0 keep nothing', () => {
    const m = new RecentMap<string, number>(0)
    m.set('a', 1)
    expect(m.size).toBe(0)
  })
})
