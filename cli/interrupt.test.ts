// The first SIGINT or SIGTERM stops a run cleanly; the same signal repeated at once (timeout(1)
// signals the process, then its group) does not quit it.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { withInterrupt } from './interrupt.ts'

afterEach(() => vi.restoreAllMocks())

describe('withInterrupt', () => {
  it('aborts on SIGTERM, ignores a repeat within a second, and unhooks itself afterwards', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never)
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    const before = process.listenerCount('SIGTERM')
    const aborted = await withInterrupt(async (signal) => {
      process.emit('SIGTERM', 'SIGTERM')
      process.emit('SIGTERM', 'SIGTERM')
      return signal.aborted
    })
    expect(aborted).toBe(true)
    expect(exit).not.toHaveBeenCalled()
    expect(process.listenerCount('SIGTERM')).toBe(before)
  })

  it('quits on a second signal that comes later', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never)
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      await withInterrupt(async () => {
        process.emit('SIGINT', 'SIGINT')
        vi.setSystemTime(Date.now() + 1500)
        process.emit('SIGINT', 'SIGINT')
      })
    } finally {
      vi.useRealTimers()
    }
    expect(exit).toHaveBeenCalledWith(130)
  })
})
