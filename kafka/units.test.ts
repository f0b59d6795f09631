// Pure pieces of the Kafka driver: address parsing, the commit point over jobs that
// finish out of order, and where a client sends its jobs.
import { describe, expect, it } from 'vitest'
import { ValidationError } from '../core/errors.ts'
import { formatAddress, parseAddress, parseBrokers } from './address.ts'
import { CommitTracker } from './commit-tracker.ts'
import { PartitionPicker } from './partition-picker.ts'
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
  it('commits only past the answered prefix of each partition, with what was started beyond it', () => {
    const t = new CommitTracker()
    const a = t.start(0, '10')
    const b = t.start(0, '11')
    const c = t.start(0, '12')
    const x = t.start(3, '5')
    // Nothing answered: the point stays where reading started, but 3 and 1 are taken.
    expect(t.take()).toEqual([
      { partition: 0, offset: '10', started: 3 },
      { partition: 3, offset: '5', started: 1 },
    ])
    c()
    b()
    expect(t.movable()).toBe(false)
    expect(t.take()).toEqual([]) // 10 still running: committing 13 would skip it after a crash
    a()
    x()
    expect(t.movable()).toBe(true)
    expect(t.take()).toEqual([
      { partition: 0, offset: '13', started: 0 },
      { partition: 3, offset: '6', started: 0 },
    ])
    expect(t.movable()).toBe(false)
    expect(t.take()).toEqual([]) // nothing moved since
  })

  it('reports a newly started message even when the offset does not move', () => {
    const t = new CommitTracker()
    t.start(2, '40')()
    expect(t.take()).toEqual([{ partition: 2, offset: '41', started: 0 }])
    const next = t.start(2, '41')
    expect(t.movable()).toBe(true)
    expect(t.take()).toEqual([{ partition: 2, offset: '41', started: 1 }])
    next()
    expect(t.take()).toEqual([{ partition: 2, offset: '42', started: 0 }])
  })

  it('offers a point again after its commit failed', () => {
    const t = new CommitTracker()
    t.start(0, '3')()
    const failed = t.take()
    expect(failed).toEqual([{ partition: 0, offset: '4', started: 0 }])
    expect(t.movable()).toBe(false)
    t.resend(failed)
    expect(t.movable()).toBe(true)
    expect(t.take()).toEqual(failed)
  })

  it('forgets the old generation on reset', () => {
    const t = new CommitTracker()
    const old = t.start(1, '7')
    t.reset()
    old()
    expect(t.take()).toEqual([])
    t.start(1, '7')()
    expect(t.take()).toEqual([{ partition: 1, offset: '8', started: 0 }])
  })
})

describe('job partition picker', () => {
  it('goes round the partitions while all are equally loaded', () => {
    const p = new PartitionPicker(4)
    expect([p.pick(), p.pick(), p.pick(), p.pick(), p.pick()]).toEqual([0, 1, 2, 3, 0])
    expect(p.load()).toEqual([2, 1, 1, 1])
  })

  it('sends the next job where the fewest are unanswered', () => {
    const p = new PartitionPicker(3)
    for (let i = 0; i < 6; i++) p.pick()
    p.done(1)
    p.done(1)
    expect(p.pick()).toBe(1)
    expect(p.load()).toEqual([2, 1, 2])
    p.done(7 % 3) // done for a partition with nothing left never goes below zero
    p.done(1)
    p.done(1)
    expect(p.load()).toEqual([2, 0, 2])
  })

  it('keeps the partitions within one job of each other however answers arrive', () => {
    const p = new PartitionPicker(12)
    const inFlight: number[] = []
    let seed = 7
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 1000) / 1000
    for (let i = 0; i < 48; i++) inFlight.push(p.pick())
    for (let step = 0; step < 5000; step++) {
      // A closed loop: a random call is answered, a new one goes out.
      const [done] = inFlight.splice(Math.floor(rand() * inFlight.length), 1)
      p.done(done)
      inFlight.push(p.pick())
      const load = p.load()
      expect(Math.max(...load) - Math.min(...load)).toBeLessThanOrEqual(1)
    }
  })

  it('refuses a topic without partitions', () => {
    expect(() => new PartitionPicker(0)).toThrow(RangeError)
  })
})
