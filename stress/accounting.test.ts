import { describe, expect, it } from 'vitest'
import { CancelledError, TimeoutError, UnavailableError, ValidationError } from '../core/errors.ts'
import { addAccounting, balances, emptyAccounting, Ledger } from './accounting.ts'
import { drain } from './closed-loop.ts'

/** A caller whose calls the test settles by hand. */
function manualCaller() {
  const calls = new Map<string, { resolve: (echo: string | undefined) => void; reject: (e: unknown) => void }>()
  const caller = (id: string, signal: AbortSignal) =>
    new Promise<string | undefined>((resolve, reject) => {
      calls.set(id, { resolve, reject })
      signal.addEventListener('abort', () => reject(new CancelledError()), { once: true })
    })
  return { calls, caller }
}

const tick = () => new Promise((r) => setImmediate(r))

describe('Ledger', () => {
  it('puts every call in exactly one bucket', async () => {
    const { calls, caller } = manualCaller()
    const ledger = new Ledger('t-', caller, 1000)
    const t0 = performance.now()
    for (let i = 0; i < 8; i++) ledger.start(t0)
    const ids = [...calls.keys()]
    calls.get(ids[0])!.resolve(ids[0]) // ok
    calls.get(ids[1])!.resolve(undefined) // ok (op without echo)
    calls.get(ids[2])!.reject(new UnavailableError('down')) // failed UNAVAILABLE
    calls.get(ids[3])!.reject(new ValidationError('text', 'too long')) // failed INVALID_ARGUMENT
    calls.get(ids[4])!.reject(new TimeoutError('late')) // timedOut
    calls.get(ids[5])!.resolve(ids[0]) // answered with another (already answered) call's id: MISMATCH + duplicate
    await tick()
    // ids[6] and ids[7] never answer
    ledger.close()
    await tick()
    const a = ledger.acc
    expect(a).toMatchObject({ sent: 8, ok: 2, failedTotal: 3, timedOut: 1, lost: 2, duplicates: 1 })
    expect(a.failed).toEqual({ UNAVAILABLE: 1, INVALID_ARGUMENT: 1, MISMATCH: 1 })
    expect(balances(a)).toBe(true)
    expect(ledger.latency.totalCount).toBe(2)
  })

  it('counts a reply after the timeout as timed out, and frees the slot at the deadline', async () => {
    const { calls, caller } = manualCaller()
    const ledger = new Ledger('t-', caller, 50)
    let released = 0
    const start = performance.now()
    ledger.start(start, () => released++)
    ledger.sweep(start + 10)
    expect(released).toBe(0)
    ledger.sweep(start + 60)
    expect(released).toBe(1) // the closed-loop slot moves on
    expect(ledger.outstanding).toBe(1) // but the call is still on the books
    const [id] = calls.keys()
    calls.get(id)!.resolve(id)
    await tick()
    expect(ledger.acc).toMatchObject({ sent: 1, ok: 0, timedOut: 1, lost: 0 })
    expect(released).toBe(1)
  })

  it('counts a misrouted reply to a call still waiting as MISMATCH without a duplicate', async () => {
    const { calls, caller } = manualCaller()
    const ledger = new Ledger('t-', caller, 1000)
    ledger.start(performance.now())
    ledger.start(performance.now())
    const [a, b] = calls.keys()
    calls.get(a)!.resolve(b)
    await tick()
    expect(ledger.acc).toMatchObject({ failedTotal: 1, duplicates: 0 })
    ledger.close()
    expect(ledger.acc.lost).toBe(1)
    expect(balances(ledger.acc)).toBe(true)
  })

  it('counts only completions inside the window towards throughput', async () => {
    const { calls, caller } = manualCaller()
    const ledger = new Ledger('t-', caller, 10_000)
    ledger.start(performance.now())
    ledger.start(performance.now())
    const [a, b] = calls.keys()
    calls.get(a)!.resolve(a)
    await tick()
    ledger.windowEnd = performance.now()
    calls.get(b)!.resolve(b)
    await drain(ledger, 100)
    expect(ledger.acc.ok).toBe(2)
    expect(ledger.okInWindow).toBe(1)
  })

  it('drain waits for stragglers, then counts the rest as lost and cancels them', async () => {
    const { calls, caller } = manualCaller()
    const ledger = new Ledger('t-', caller, 10_000)
    ledger.start(performance.now())
    ledger.start(performance.now())
    const [a] = calls.keys()
    setTimeout(() => calls.get(a)!.resolve(a), 20)
    await drain(ledger, 150)
    expect(ledger.acc).toMatchObject({ sent: 2, ok: 1, lost: 1 })
  })

  it('sums accountings field by field', () => {
    const a = { ...emptyAccounting(), sent: 3, ok: 2, failedTotal: 1, failed: { UNAVAILABLE: 1 } }
    const b = { ...emptyAccounting(), sent: 2, ok: 1, lost: 1, failed: {} }
    expect(addAccounting(a, b)).toMatchObject({ sent: 5, ok: 3, failedTotal: 1, lost: 1, failed: { UNAVAILABLE: 1 } })
  })
})
