import { describe, expect, it, vi } from 'vitest'
import { createLogger, logError } from './log.ts'
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

describe('createLogger', () => {
  it('writes a value JSON cannot take (a cycle, a BigInt) instead of throwing', () => {
    vi.stubEnv('MWLAB_LOG', 'info')
    const lines: string[] = []
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true))
    try {
      const cyclic: Record<string, unknown> = { a: 1 }
      cyclic.self = cyclic
      const log = createLogger('test')
      expect(() => log.error('cyclic', cyclic)).not.toThrow()
      expect(() => log.error('big', 10n)).not.toThrow()
    } finally {
      spy.mockRestore()
      vi.unstubAllEnvs()
    }
    expect(lines.join('')).toContain('[test] big 10')
    expect(lines.join('')).toContain('[test] cyclic [object Object]')
  })
})
