// Two small bounded structures the consumers need: a semaphore (jobs in flight per node,
// like RabbitMQ's prefetch) and a set of recently seen ids (redelivery de-duplication).

export class Semaphore {
  private waiting: (() => void)[] = []
  constructor(private free: number) {}

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--
      return
    }
    await new Promise<void>((r) => this.waiting.push(r))
  }

  release(): void {
    const next = this.waiting.shift()
    if (next) next()
    else this.free++
  }
}

/** Remembers the last `capacity` ids added; older ones are forgotten first. */
export class RecentIds {
  private readonly ids = new Set<string>()
  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    return this.ids.has(id)
  }

  add(id: string): void {
    this.ids.add(id)
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string)
  }
}
