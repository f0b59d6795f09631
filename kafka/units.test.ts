// Pure pieces of the Kafka driver: address parsing and the commit point over jobs that
// finish out of order.
import { describe, expect, it } from 'vitest'
import { ValidationError } from '../core/errors.ts'
import { formatAddress, parseAddress, parseBrokers } from './address.ts'
import { CommitTracker } from './commit-tracker.ts'
import { resolveAddress } from './node.ts'

describe('kafka addresses', () => {
  it('parses broker lists with or without kafka://, and always dials 127.0.0.1 for localhost', () => {
    expect(parseBrokers('localhost:9092')).toEqual(['127.0.0.1:9092'])
    expect(parseBrokers('kafka://127.0.0.1:19092, 127.0.0.1:19093#lab')).toEqual(['127.0.0.1:19092', '127.0.0.1:19093'])
    expect(parseAddress('kafka://localhost:19092#lab1')).toEqual({ brokers: ['127.0.0.1:19092'], namespace: 'lab1' })
    expect(parseAddress('127.0.0.1:19092')).toEqual({ brokers: ['127.0.0.1:19092'], namespace: 'mwlab' })
    expect(formatAddress({ brokers: ['127.0.0.1:1', '127.0.0.1:2'], namespace: 'n' })).toBe('kafka://127.0.0.1:1,127.0.0.1:2#n')
  })

  it('rejects what is not host:port or not a topic-safe namespace', () => {
    expect(() => parseBrokers('kafka://')).toThrow(ValidationError)
    expect(() => parseBrokers('127.0.0.1')).toThrow(/not host:port/)
    expect(() => parseAddress('127.0.0.1:9092#bad/ns')).toThrow(/namespace/)
  })

  it("gives a worker its master's broker and namespace over the CLI's default namespace", () => {
    const master = 'kafka://127.0.0.1:19092#lab7'
    expect(resolveAddress('worker', { master, namespace: 'mwlab' })).toEqual({ brokers: ['127.0.0.1:19092'], namespace: 'lab7' })
    expect(resolveAddress('worker', { master, broker: '127.0.0.1:19093' }).brokers).toEqual(['127.0.0.1:19093'])
    expect(() => resolveAddress('single', {})).toThrow(/needs --broker/)
  })
})

describe('CommitTracker', () => {
  it('commits only past the answered prefix of each partition', () => {
    const t = new CommitTracker()
    const a = t.start(0, '10')
    const b = t.start(0, '11')
    const c = t.start(0, '12')
    const x = t.start(3, '5')
    expect(t.take()).toEqual([])
    c()
    b()
    expect(t.movable()).toBe(false)
    expect(t.take()).toEqual([]) // 10 still running: committing 13 would skip it after a crash
    a()
    x()
    expect(t.movable()).toBe(true)
    expect(t.take()).toEqual([
      { partition: 0, offset: '13' },
      { partition: 3, offset: '6' },
    ])
    expect(t.movable()).toBe(false)
    expect(t.take()).toEqual([]) // nothing moved since
  })

  it('forgets the old generation on reset', () => {
    const t = new CommitTracker()
    const old = t.start(1, '7')
    t.reset()
    old()
    expect(t.take()).toEqual([])
    t.start(1, '7')()
    expect(t.take()).toEqual([{ partition: 1, offset: '8' }])
  })
})
