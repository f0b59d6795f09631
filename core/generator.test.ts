import { describe, expect, it } from 'vitest'
import { catalogue, generate, generateBatch, productIdAt, ReviewGenerator, reviewerIdAt, type GeneratedMessage } from './generator.ts'
import { makeCensor } from './moderate.ts'
import { createRng } from './random.ts'
import { ReviewInput } from './schemas.ts'
import { Zipf } from './zipf.ts'

describe('createRng', () => {
  it('is deterministic per seed and uniform-ish in [0, 1)', () => {
    const a = createRng(7)
    const b = createRng(7)
    const xs = Array.from({ length: 1000 }, () => a.next())
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs)
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true)
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length
    expect(mean).toBeGreaterThan(0.45)
    expect(mean).toBeLessThan(0.55)
    expect(createRng(8).next()).not.toBe(createRng(7).next())
    expect(createRng(2 ** 32 + 7).next()).not.toBe(createRng(7).next()) // high bits count
    expect(() => createRng(1.5)).toThrow(RangeError)
  })
})

describe('Zipf', () => {
  it('has probabilities that sum to 1 and fall with rank', () => {
    const z = new Zipf(1000, 1.07)
    let sum = 0
    for (let i = 0; i < 1000; i++) sum += z.probability(i)
    expect(sum).toBeCloseTo(1, 9)
    expect(z.probability(0) / z.probability(1)).toBeCloseTo(2 ** 1.07, 6)
    expect(z.sample(0)).toBe(0)
    expect(z.sample(0.999_999_999)).toBe(999)
    expect(new Zipf(10, 0).probability(3)).toBeCloseTo(0.1, 9) // s = 0: uniform
  })
})

describe('catalogue ids', () => {
  it('are unique, stable 10-character ASINs', () => {
    const ids = catalogue(1000)
    expect(new Set(ids).size).toBe(1000)
    for (const id of ids) expect(id).toMatch(/^[A-Z0-9]{10}$/)
    expect(catalogue(1000)).toEqual(ids)
    expect(productIdAt(0, 1)).not.toBe(productIdAt(0, 0))
    expect(reviewerIdAt(12)).toMatch(/^A[A-Z0-9]{13}$/)
    expect(reviewerIdAt(12)).not.toBe(reviewerIdAt(13))
  })
})

describe('ReviewGenerator', () => {
  it('yields the same sequence for the same seed, another for another seed', () => {
    for (const kind of ['simple', 'complex'] as const) {
      const a = generateBatch(300, { seed: 42, kind })
      expect(generateBatch(300, { seed: 42, kind })).toEqual(a)
      expect(generateBatch(300, { seed: 43, kind })).not.toEqual(a)
      expect(a.map((m) => m.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i))
    }
  })

  it('makes simple rating events that the strict ReviewInput schema accepts', () => {
    for (const m of generateBatch(500, { seed: 3 })) {
      expect(ReviewInput.strict().parse(m.input)).toEqual(m.input)
      expect(Object.keys(m.input).sort()).toEqual(['productId', 'rating', 'reviewerId', 'text'])
      expect(m.meta.kind).toBe('simple')
      expect(Buffer.byteLength(m.input.text)).toBeLessThan(64)
    }
  })

  it('makes complex reviews: valid input, 1-2 KB texts, nested metadata, counted banned words', () => {
    const censor = makeCensor()
    const msgs = generateBatch(600, { seed: 5, kind: 'complex' })
    let withBanned = 0
    let over1k = 0
    for (const m of msgs) {
      expect(ReviewInput.parse(m.input)).toEqual(m.input)
      if (m.meta.kind !== 'complex') throw new Error('expected complex meta')
      const bytes = Buffer.byteLength(m.input.text)
      expect(bytes).toBe(m.meta.textBytes)
      expect(bytes).toBeLessThanOrEqual(2048)
      if (bytes > 1024) over1k++
      expect(m.input.text).toMatch(/\. .+\./) // several sentences
      expect(m.meta.helpful.up).toBeLessThanOrEqual(m.meta.helpful.total)
      expect(m.meta.product.category).toEqual(expect.any(String))
      expect(m.meta.reviewer.name).toEqual(expect.any(String))
      // What the generator says it planted is exactly what moderate() finds.
      expect(censor(m.input.text).hits).toBe(m.meta.bannedWords)
      if (m.meta.bannedWords > 0) withBanned++
    }
    expect(over1k).toBeGreaterThan(100)
    expect(withBanned).toBeGreaterThan(20) // occasionally...
    expect(withBanned).toBeLessThan(300) // ...not usually
  })

  it('skews product popularity like Zipf: the top product far above the median one', () => {
    const counts = new Map<string, number>()
    const g = new ReviewGenerator({ seed: 11, products: 1000 })
    for (let i = 0; i < 20_000; i++) {
      const m = g.next()
      counts.set(m.input.productId, (counts.get(m.input.productId) ?? 0) + 1)
    }
    const perProduct = catalogue(1000).map((id) => counts.get(id) ?? 0)
    const sorted = [...perProduct].sort((a, b) => b - a)
    const median = sorted[500]
    expect(sorted[0]).toBe(perProduct[0]) // rank 0 is the most reviewed
    expect(sorted[0]).toBeGreaterThan(20 * Math.max(median, 1))
    expect(sorted[0] / 20_000).toBeGreaterThan(0.1) // ~16% expected for s = 1.07, n = 1000
    expect(counts.size).toBeGreaterThan(300) // but the long tail is there
  })

  it('gives products different typical ratings', () => {
    const byProduct = new Map<number, number[]>()
    for (const m of generateBatch(5000, { seed: 2 })) {
      const r = byProduct.get(m.meta.rank) ?? []
      r.push(m.input.rating)
      byProduct.set(m.meta.rank, r)
    }
    const means = [...byProduct.values()].filter((r) => r.length >= 30).map((r) => r.reduce((s, x) => s + x, 0) / r.length)
    expect(Math.max(...means) - Math.min(...means)).toBeGreaterThan(0.5)
  })

  it('rejects bad options', () => {
    expect(() => new ReviewGenerator({ kind: 'huge' as 'simple' })).toThrow(RangeError)
    expect(() => new ReviewGenerator({ products: 0 })).toThrow(RangeError)
  })
})

describe('generate (paced)', () => {
  it('unpaced with a count: exactly the batch sequence', async () => {
    const got: GeneratedMessage[] = []
    for await (const p of generate({ seed: 9, count: 50, rate: Infinity })) got.push(p.value)
    expect(got).toEqual(generateBatch(50, { seed: 9 }))
  })

  it('holds roughly 20 Hz for 0.5 s, on an absolute schedule, never early', async () => {
    const received: { intendedAt: number; at: number }[] = []
    const signal = AbortSignal.timeout(500)
    for await (const p of generate({ seed: 1, rate: 20, signal })) {
      received.push({ intendedAt: p.intendedAt, at: performance.timeOrigin + performance.now() })
    }
    // 0, 50, ..., 450 ms are due before the abort (500 ms races it): about 10. Loose bounds.
    expect(received.length).toBeGreaterThanOrEqual(6)
    expect(received.length).toBeLessThanOrEqual(12)
    const t0 = received[0].intendedAt
    received.forEach((r, i) => {
      expect(r.intendedAt - t0).toBeCloseTo(i * 50, 6)
      expect(r.at).toBeGreaterThanOrEqual(r.intendedAt - 0.001)
    })
  })

  it('stays on schedule after a slow consumer (no drift), catching up at once', async () => {
    const received: { index: number; intendedAt: number; at: number }[] = []
    const t0 = performance.now()
    for await (const p of generate({ rate: 100, count: 12 })) {
      received.push({ index: p.index, intendedAt: p.intendedAt, at: performance.timeOrigin + performance.now() })
      if (p.index === 2) await new Promise((r) => setTimeout(r, 60)) // items 3..7 fall due meanwhile
    }
    const elapsed = performance.now() - t0
    expect(received.map((r) => r.index)).toEqual([...Array(12).keys()])
    received.forEach((r) => expect(r.intendedAt - received[0].intendedAt).toBeCloseTo(r.index * 10, 6))
    expect(received[3].at - received[3].intendedAt).toBeGreaterThan(20) // item 3 was late: the schedule did not move
    expect(elapsed).toBeGreaterThanOrEqual(108) // never ahead of schedule: the last item is due at 110 ms
  })

  it('ends quietly when aborted, and validates its options', async () => {
    const ac = new AbortController()
    let n = 0
    for await (const _ of generate({ rate: 1000, signal: ac.signal })) if (++n === 5) ac.abort()
    expect(n).toBe(5)
    let none = 0
    for await (const _ of generate({ count: 3, signal: AbortSignal.abort() })) none++
    expect(none).toBe(0)
    await expect(generate({ rate: -1 }).next()).rejects.toThrow(RangeError)
    await expect(generate({ count: 1.5 }).next()).rejects.toThrow(RangeError)
  })
})
