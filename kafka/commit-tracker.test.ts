import { describe, expect, it } from 'vitest'
import { CommitTracker } from './commit-tracker.ts'

describe('CommitTracker', () => {
  it('moves a partition past a message only once it and all before it are answered', () => {
    const t = new CommitTracker()
    const a = t.start(0, '10')
    const b = t.start(0, '11')
    const c = t.start(1, '5')
    expect(t.movable()).toBe(false)
    b() // answered out of order: offset 10 still holds the partition back
    expect(t.movable()).toBe(false)
    expect(t.take()).toEqual([])
    a()
    c()
    expect(t.movable()).toBe(true)
    expect(t.take()).toEqual([
      { partition: 0, offset: '12' },
      { partition: 1, offset: '6' },
    ])
    expect(t.movable()).toBe(false) // taken: nothing left to commit
  })
})
