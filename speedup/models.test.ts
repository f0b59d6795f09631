import { describe, expect, it } from 'vitest'
import { amdahl, erlangC, fitAmdahl, mmc, mmcSpeedup, speedupTable } from './models.ts'

describe('speedup table', () => {
  it('computes S(n) and efficiency from X(n)', () => {
    const rows = speedupTable([
      { nodes: 3, throughput: 270 },
      { nodes: 1, throughput: 100 },
      { nodes: 2, throughput: 180 },
    ])
    expect(rows.map((r) => r.nodes)).toEqual([1, 2, 3])
    expect(rows[1].speedup).toBeCloseTo(1.8)
    expect(rows[2].efficiency).toBeCloseTo(0.9)
  })
  it('refuses a table without the 1-node point', () => {
    expect(() => speedupTable([{ nodes: 2, throughput: 5 }])).toThrow(RangeError)
  })
})

describe('Amdahl fit', () => {
  it('recovers the serial fraction of exact Amdahl points', () => {
    for (const f of [0, 0.05, 0.2, 0.5]) {
      const rows = [1, 2, 3, 4, 8].map((n) => ({ nodes: n, speedup: amdahl(f, n) }))
      expect(fitAmdahl(rows)).toBeCloseTo(f, 6)
    }
  })
  it('clamps superlinear and slowing-down measurements', () => {
    expect(fitAmdahl([{ nodes: 2, speedup: 2.5 }])).toBe(0)
    expect(fitAmdahl([{ nodes: 3, speedup: 0.8 }])).toBe(1)
  })
  it('the student lab RabbitMQ point (1.89 on 3 nodes) implies a serial fraction near 0.29', () => {
    expect(fitAmdahl([{ nodes: 3, speedup: 1.89 }])).toBeCloseTo(0.2937, 3)
  })
})

describe('M/M/c', () => {
  it('Erlang C matches known values', () => {
    // c = 1 reduces to M/M/1: P(wait) = ρ
    expect(erlangC(1, 0.7)).toBeCloseTo(0.7, 10)
    // textbook value: c = 2, a = 1 (ρ = 0.5) gives 1/3
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 10)
    expect(erlangC(3, 3)).toBe(1)
  })
  it('predicts M/M/1 response time 1/(μ-λ) and instability at ρ >= 1', () => {
    const p = mmc(80, 100, 1)
    expect(p.utilisation).toBeCloseTo(0.8)
    expect(p.meanResponse).toBeCloseTo(1 / 20, 10)
    const q = mmc(300, 100, 3)
    expect(q.stable).toBe(false)
    expect(q.throughput).toBe(300)
  })
  it('more servers at the same load wait less', () => {
    expect(mmc(150, 100, 3).meanResponse).toBeLessThan(mmc(150, 100, 2).meanResponse)
  })
  it('caps CPU-bound speedup at the core count', () => {
    expect(mmcSpeedup(3, { cpuBound: true, cores: 2 })).toBe(2)
    expect(mmcSpeedup(3, { cpuBound: false, cores: 2 })).toBe(3)
  })
})
