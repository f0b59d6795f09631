// Latency histograms: HDR (hdr-histogram-js), microsecond resolution, 3 significant digits.
// Load generators in other threads or processes send theirs encoded (compressed base64);
// they are merged by adding counts, never by averaging percentiles, which would be wrong
// for every percentile but the mean.
import * as hdr from 'hdr-histogram-js'

export type Histogram = hdr.Histogram

/** The percentiles every result reports, in microseconds. */
export interface LatencySummary {
  count: number
  minUs: number
  meanUs: number
  stdevUs: number
  p50Us: number
  p90Us: number
  p99Us: number
  p999Us: number
  maxUs: number
}

/** One point of the full percentile spectrum (HdrHistogram's percentile distribution). */
export interface SpectrumPoint {
  percentile: number
  valueUs: number
}

export function createHistogram(): Histogram {
  // 1 µs .. 1 h; autoResize guards against anything slower rather than throwing mid-run.
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, autoResize: true })
}

/** Records one latency given in milliseconds (performance.now() differences). */
export function recordMs(h: Histogram, ms: number): void {
  const us = Math.round(ms * 1000)
  h.recordValue(us < 1 ? 1 : us)
}

export function encode(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h)
}

export function decode(s: string): Histogram {
  return hdr.decodeFromCompressedBase64(s)
}

/** Sum of the encoded histograms: the histogram of all their samples together. */
export function mergeEncoded(parts: readonly string[]): Histogram {
  const total = createHistogram()
  for (const p of parts) {
    if (!p) continue
    const h = decode(p)
    total.add(h)
    h.destroy()
  }
  return total
}

export function summarize(h: Histogram): LatencySummary {
  if (h.totalCount === 0) return { count: 0, minUs: 0, meanUs: 0, stdevUs: 0, p50Us: 0, p90Us: 0, p99Us: 0, p999Us: 0, maxUs: 0 }
  return {
    count: h.totalCount,
    // Min and max as bucket values like every percentile (3 significant digits), so a merged
    // histogram reports exactly what one histogram over the same samples would.
    minUs: h.getValueAtPercentile(0),
    meanUs: round1(h.mean),
    stdevUs: round1(h.stdDeviation),
    p50Us: h.getValueAtPercentile(50),
    p90Us: h.getValueAtPercentile(90),
    p99Us: h.getValueAtPercentile(99),
    p999Us: h.getValueAtPercentile(99.9),
    maxUs: h.getValueAtPercentile(100),
  }
}

/** The percentile spectrum at fixed points (dense in the tail), for plots and comparisons. */
export const SPECTRUM_PERCENTILES = [0, 10, 25, 50, 75, 90, 95, 97.5, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 100] as const

export function spectrum(h: Histogram): SpectrumPoint[] {
  if (h.totalCount === 0) return []
  return SPECTRUM_PERCENTILES.map((p) => ({ percentile: p, valueUs: h.getValueAtPercentile(p) }))
}

function round1(x: number): number {
  return Math.round(x * 10) / 10
}
