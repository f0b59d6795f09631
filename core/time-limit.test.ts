import { describe, expect, it } from 'vitest'
import { atMost } from './time-limit.ts'

const after = <T>(ms: number, v: T) => new Promise<T>((r) => setTimeout(() => r(v), ms))

describe('atMost', () => {
  it("gives the promise's value when it settles in time", async () => {
    expect(await atMost(after(5, 'x'), 1000)).toEqual({ value: 'x' })
    expect(await atMost(Promise.resolve(undefined), 1000)).toEqual({ value: undefined })
  })

  it('gives undefined when the time is up first', async () => {
    const t0 = Date.now()
    expect(await atMost(after(2000, 'x'), 30)).toBeUndefined()
    expect(Date.now() - t0).toBeLessThan(1000)
  })

  it('passes a rejection through', async () => {
    await expect(atMost(Promise.reject(new Error('boom')), 1000)).rejects.toThrow('boom')
  })
})
