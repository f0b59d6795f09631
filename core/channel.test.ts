import { describe, expect, it } from 'vitest'
import { Channel } from './channel.ts'

describe('Channel', () => {
  it('delivers buffered values in order, then waits for more', async () => {
    const ch = new Channel<number>()
    ch.push(1)
    ch.push(2)
    const it = ch[Symbol.asyncIterator]()
    expect(await it.next()).toEqual({ value: 1, done: false })
    expect(await it.next()).toEqual({ value: 2, done: false })
    const pending = it.next()
    ch.push(3)
    expect(await pending).toEqual({ value: 3, done: false })
  })

  it('ends a waiting reader, after what is buffered', async () => {
    const ch = new Channel<string>()
    ch.push('a')
    ch.end()
    ch.push('ignored')
    const seen: string[] = []
    for await (const v of ch) seen.push(v)
    expect(seen).toEqual(['a'])
    expect(ch.ended).toBe(true)
  })

  it('rejects the reader once with the error it ended with', async () => {
    const ch = new Channel<number>()
    const it = ch[Symbol.asyncIterator]()
    const pending = it.next()
    ch.end(new Error('connection lost'))
    await expect(pending).rejects.toThrow('connection lost')
    expect(await it.next()).toEqual({ value: undefined, done: true })

    const later = new Channel<number>()
    later.end(new Error('gone'))
    const it2 = later[Symbol.asyncIterator]()
    await expect(it2.next()).rejects.toThrow('gone')
    expect(await it2.next()).toEqual({ value: undefined, done: true })
  })

  it('drops the oldest values beyond capacity and counts them', async () => {
    const ch = new Channel<number>(2)
    for (let i = 1; i <= 5; i++) ch.push(i)
    ch.end()
    const seen: number[] = []
    for await (const v of ch) seen.push(v)
    expect(seen).toEqual([4, 5])
    expect(ch.dropped).toBe(3)
  })

  it('ends when the reader breaks out of its loop', async () => {
    const ch = new Channel<number>()
    ch.push(1)
    ch.push(2)
    for await (const v of ch) {
      expect(v).toBe(1)
      break
    }
    expect(ch.ended).toBe(true)
  })

  it('releases its source once when the reader leaves early, not when the source ends it', async () => {
    let released = 0
    const early = new Channel<number>()
    early.whenReaderLeaves(() => released++)
    early.push(1)
    for await (const _ of early) break
    expect(released).toBe(1)
    const drained = new Channel<number>()
    drained.whenReaderLeaves(() => released++)
    drained.push(1)
    drained.end()
    for await (const _ of drained) void _
    expect(released).toBe(1)
  })
})
