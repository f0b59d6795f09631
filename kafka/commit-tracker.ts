// Which offsets a node may commit. Messages of a partition are started in offset order but
// finish in any order; the committed offset may only move past a message once it and all
// before it are answered, or a crash would skip the slow one. So: per partition, the
// started offsets in order, and a commit point at the end of the answered prefix.
// Each commit also carries, as its metadata, how many messages beyond the point were
// already started: the master subtracts them from the lag, so its backlog counts only
// what no node has taken yet (kafka/node.ts backlog()).

interface Entry {
  offset: bigint
  done: boolean
}

interface Partition {
  entries: Entry[]
  head: number
  lastDone?: bigint
  /** what the last commit point said */
  sent?: Point
}

interface Point {
  offset: bigint
  started: number
}

export interface CommitPoint {
  partition: number
  /** The next offset to read: the first one not answered yet, as Kafka commits it. */
  offset: string
  /** Messages at or after `offset` already started here (running, or answered behind one that runs). */
  started: number
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
    for (const p of this.parts.values()) if (changed(p, pointOf(p))) return true
    return false
  }

  /** Commit points whose offset or started count changed since the last call. */
  take(): CommitPoint[] {
    const out: CommitPoint[] = []
    for (const [partition, p] of this.parts) {
      const point = pointOf(p)
      if (!point || !changed(p, point)) continue
      p.sent = point
      out.push({ partition, offset: point.offset.toString(), started: point.started })
      if (p.head > 1024 && p.head * 2 > p.entries.length) {
        p.entries.splice(0, p.head)
        p.head = 0
      }
    }
    return out
  }

  /** These points were not committed: take() offers them again (with whatever changed since). */
  resend(points: readonly CommitPoint[]): void {
    for (const c of points) {
      const p = this.parts.get(c.partition)
      if (p?.sent && p.sent.offset === BigInt(c.offset) && p.sent.started === c.started) p.sent = undefined
    }
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

/** Moves past the answered prefix; the point is the first unanswered offset (or the last answered + 1). */
function pointOf(p: Partition): Point | undefined {
  while (p.head < p.entries.length && p.entries[p.head]!.done) p.lastDone = p.entries[p.head++]!.offset
  const offset = p.head < p.entries.length ? p.entries[p.head]!.offset : p.lastDone === undefined ? undefined : p.lastDone + 1n
  return offset === undefined ? undefined : { offset, started: p.entries.length - p.head }
}

function changed(p: Partition, point: Point | undefined): boolean {
  return point !== undefined && (point.offset !== p.sent?.offset || point.started !== p.sent.started)
}
