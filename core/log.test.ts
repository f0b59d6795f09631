import { describe, expect, it } from 'vitest'
import { logError } from './log.ts'
import { InternalError } from './errors.ts'

function logged(err: unknown): unknown {
  let extra: unknown
  logError({ error: (_m, e) => (extra = e) }, 'failed', err)
  return extra
}

describe('logError', () => {
  it('logs name, message, stack and the cause chain', () => {
    const root = new TypeError('boom')
    const d = logged(new InternalError('internal error', { cause: new Error('store failed', { cause: root }) }))
    expect(d).toMatchObject({
      name: 'InternalError',
      message: 'internal error',
      stack: expect.stringContaining('internal error'),
      cause: { name: 'Error', message: 'store failed', cause: { name: 'TypeError', message: 'boom', stack: root.stack } },
    })
    expect(logged('a thrown string')).toBe('a thrown string')
  })

  it('follows a bounded number of causes, so a loop ends', () => {
    const a = new Error('a')
    a.cause = a
    let d = logged(a) as { cause?: unknown }
    let depth = 0
    for (; typeof d.cause === 'object'; depth++) d = d.cause as { cause?: unknown }
    expect(depth).toBe(5)
    expect(d.cause).toBe('(further causes left out)')
    expect(() => JSON.stringify(logged(a))).not.toThrow()
  })
})
