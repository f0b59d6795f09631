// Seeded randomness for the data generator: sfc32 (Chris Doty-Humphrey's Small Fast
// Counter, as used by PractRand) seeded through splitmix32, plus lowbias32, a bijective
// 32-bit mixer used to derive stable ids. Hand-written because no seeded PRNG package
// is installed; each is a few lines of a well-known public-domain algorithm.

/** A bijection on uint32 with good avalanche (Chris Wellons' lowbias32). */
export function mix32(x: number): number {
  x >>>= 0
  x ^= x >>> 16
  x = Math.imul(x, 0x7feb352d)
  x ^= x >>> 15
  x = Math.imul(x, 0x846ca68b)
  x ^= x >>> 16
  return x >>> 0
}

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number
  /** Uniform integer in [0, n). */
  int(n: number): number
  /** Uniform integer in [lo, hi]. */
  between(lo: number, hi: number): number
  pick<T>(items: readonly T[]): T
  chance(p: number): boolean
  /** Standard normal (Box-Muller). */
  normal(): number
}

/** A deterministic generator: the same seed always gives the same sequence. */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`)
  // splitmix32 over both halves of the seed, so seeds above 2^32 still differ.
  let s = (seed >>> 0) ^ mix32(Math.floor(seed / 2 ** 32) >>> 0)
  const splitmix = () => {
    s = (s + 0x9e3779b9) | 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) | 0
  }
  let a = splitmix()
  let b = splitmix()
  let c = splitmix()
  let d = splitmix()
  const sfc32 = () => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  for (let i = 0; i < 15; i++) sfc32() // the customary warm-up

  const rng: Rng = {
    next: sfc32,
    int: (n) => Math.floor(sfc32() * n),
    between: (lo, hi) => lo + Math.floor(sfc32() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(sfc32() * items.length)],
    chance: (p) => sfc32() < p,
    normal: () => {
      const u = 1 - sfc32() // (0, 1]: log(0) would be -Infinity
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * sfc32())
    },
  }
  return rng
}
