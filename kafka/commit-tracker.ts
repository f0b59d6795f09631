// Which offsets a node may commit. Messages of a partition are started in offset order but
// finish in any order; the committed offset may only move past a message once it and all
// before it are answered, or a crash would skip the slow one. So: per partition, the
// started offsets in order, and a commit point at the end of the answered prefix.

interface Entry {
  offset: bigint
  done: boolean
}

interface Partition {
  entries: Entry[]
  head: number
}

export interface CommitPoint {
  partition: number
  /** The next offset to read: last answered + 1, as Kafka commits it. */
  offset: string
}

export class CommitTracker {
  private parts = new Map<number, Partition>()

  /** Registers a started message; the returned function marks it answered. */
  start(partition: number, offset: string): () => void {
    let p = this.parts.get(partition)
    if (!p) this.parts.set(partition, (p = { entries: [], head: 0 }))
    const e: Entry = { offset: BigInt(offset), done: false }
    p.entries.push(e)
    return () => void (e.done = true)
  }

  /** Whether take() would return a commit point now. */
  movable(): boolean {
    for (const p of this.parts.values()) if (p.entries[p.head]?.done) return true
    return false
  }

  /** Commit points that moved since the last call. */
  take(): CommitPoint[] {
    const out: CommitPoint[] = []
    for (const [partition, p] of this.parts) {
      let last: bigint | undefined
      while (p.head < p.entries.length && p.entries[p.head]!.done) last = p.entries[p.head++]!.offset
      if (last === undefined) continue
      out.push({ partition, offset: (last + 1n).toString() })
      if (p.head > 1024 && p.head * 2 > p.entries.length) {
        p.entries.splice(0, p.head)
        p.head = 0
      }
    }
    return out
  }

  /**
   * After a rebalance kafkajs reads every partition again from its committed offset, so
   * what was started before is started again; entries of the old generation are dropped
   * (their late completions mark entries nobody looks at any more).
   */
  reset(): void {
    this.parts = new Map()
  }
}
