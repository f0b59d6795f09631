// Which partition of the jobs topic a client's next job goes to. Each partition belongs to
// one worker of the group, so a job's partition is its worker. Hashing a random key (what
// kafkajs does by default) routes at random: in a closed loop with one job at a time per
// worker, some workers then queue several jobs while others idle, and 3 workers served
// barely twice what one did. Sending each job to the partition with the fewest of this
// client's calls still unanswered keeps every partition's share even, so a worker's share
// follows the number of partitions it was assigned (12 over 3 workers: even; over 5: 3 or
// 2 each), without the client knowing the assignment.

export class PartitionPicker {
  private readonly outstanding: Int32Array
  private next = 0

  constructor(readonly partitions: number) {
    if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`partitions must be a positive integer, got ${partitions}`)
    this.outstanding = new Int32Array(partitions)
  }

  /** The partition with the fewest unanswered jobs, ties taken in turn; counts the job on it. */
  pick(): number {
    const n = this.partitions
    let best = this.next
    for (let k = 1; k < n; k++) {
      const p = (this.next + k) % n
      if (this.outstanding[p] < this.outstanding[best]) best = p
    }
    this.next = (best + 1) % n
    this.outstanding[best]++
    return best
  }

  /** The job sent to `partition` was answered, failed or given up on. */
  done(partition: number): void {
    if (this.outstanding[partition] > 0) this.outstanding[partition]--
  }

  load(): number[] {
    return [...this.outstanding]
  }
}
