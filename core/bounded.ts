// Bounded memories of recent ids. Queues deliver at least once, so clients, consumers and
// the store remember what they answered lately to recognise a second copy; memory stays
// bounded by forgetting the oldest entry first.

/** The last `capacity` keys set, with their values; the oldest insertion is forgotten first. */
export class RecentMap<K, V> {
  private readonly entries = new Map<K, V>()
  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size
  }

  get(key: K): V | undefined {
    return this.entries.get(key)
  }

  has(key: K): boolean {
    return this.entries.has(key)
  }

  set(key: K, value: V): void {
    this.entries.set(key, value)
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K)
  }
}

/** The last `capacity` ids added. */
export class RecentIds {
  private readonly ids: RecentMap<string, true>
  constructor(capacity: number) {
    this.ids = new RecentMap(capacity)
  }

  has(id: string): boolean {
    return this.ids.has(id)
  }

  add(id: string): void {
    this.ids.set(id, true)
  }
}
