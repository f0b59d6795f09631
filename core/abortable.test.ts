import { getEventListeners } from 'node:events'
import { describe, expect, it } from 'vitest'
import { isAborted, onAbort } from './abortable.ts'

describe('onAbort on an AbortSignal', () => {
  it('runs the callback with the reason, at once when already aborted', () => {
    const ac = new AbortController()
    const heard: unknown[] = []
    onAbort(ac.signal, (r) => heard.push(r))
    expect(isAborted(ac.signal)).toBe(false)
    ac.abort('first')
    onAbort(ac.signal, (r) => heard.push(r))
    expect(heard).toEqual(['first', 'first'])
    expect(isAborted(ac.signal)).toBe(true)
  })

  it('forgetting removes the listener, so a long-lived signal does not collect them', () => {
    const ac = new AbortController()
    let heard = 0
    for (let i = 0; i < 10; i++) onAbort(ac.signal, () => heard++)()
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0)
    ac.abort()
    expect(heard).toBe(0)
  })

  it('does nothing without a signal', () => {
    expect(isAborted(undefined)).toBe(false)
    expect(() => onAbort(undefined, () => {})()).not.toThrow()
  })
})
