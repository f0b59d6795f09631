// Zipf-like popularity: item of rank r (1-based) is drawn with probability proportional
// to 1 / r^s. A few products get most reviews, as on a real shop, which is what makes
// `trending` and hot-key behaviour of the middlewares interesting.

export const DEFAULT_ZIPF_EXPONENT = 1.07

export class Zipf {
  private readonly cdf: Float64Array

  constructor(
    readonly n: number,
    readonly s = DEFAULT_ZIPF_EXPONENT,
  ) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`Zipf needs n >= 1 items, got ${n}`)
    if (!(s >= 0) || !Number.isFinite(s)) throw new RangeError(`Zipf exponent must be a finite number >= 0, got ${s}`)
    this.cdf = new Float64Array(n)
    let sum = 0
    for (let r = 1; r <= n; r++) this.cdf[r - 1] = sum += 1 / r ** s
    for (let i = 0; i < n; i++) this.cdf[i] /= sum
    this.cdf[n - 1] = 1 // no rounding gap at the top
  }

  /** Probability of the item at 0-based rank `i`. */
  probability(i: number): number {
    return i === 0 ? this.cdf[0] : this.cdf[i] - this.cdf[i - 1]
  }

  /** Maps a uniform u in [0, 1) to a 0-based rank (binary search over the CDF). */
  sample(u: number): number {
    let lo = 0
    let hi = this.n - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.cdf[mid] > u) hi = mid
      else lo = mid + 1
    }
    return lo
  }
}
