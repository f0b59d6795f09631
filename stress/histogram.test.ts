// Histograms recorded in other threads and processes, encoded and merged, give exactly the
// percentiles of one histogram over all the samples (and averaging would not).
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { promisify } from 'node:util'
import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { createRng } from '../core/random.ts'
import { createHistogram, mergeEncoded, spectrum, summarize } from './histogram.ts'

const HDR = createRequire(import.meta.url).resolve('hdr-histogram-js')
// What a remote generator does: record its samples, send the encoded histogram.
const RECORD = `
  const hdr = require(${JSON.stringify(HDR)})
  const h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3600000000, numberOfSignificantValueDigits: 3, autoResize: true })
  for (const v of SAMPLES) h.recordValue(v)
  OUT(hdr.encodeIntoCompressedBase64(h))
`

function inThread(samples: number[]): Promise<string> {
  const code = `const { parentPort, workerData } = require('node:worker_threads'); const SAMPLES = workerData; const OUT = (s) => parentPort.postMessage(s);` + RECORD
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: samples })
    w.once('message', (m: string) => {
      resolve(m)
      void w.terminate()
    })
    w.once('error', reject)
  })
}

async function inProcess(samples: number[]): Promise<string> {
  const code = `const SAMPLES = JSON.parse(process.argv[1]); const OUT = (s) => process.stdout.write(s);` + RECORD
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', code, JSON.stringify(samples)], { maxBuffer: 1 << 24 })
  return stdout
}

/** Latency-like samples in µs: a lognormal body around 2 ms plus a sparse slow tail. */
function samples(n: number, seed: number): number[] {
  const rng = createRng(seed)
  return Array.from({ length: n }, () => Math.max(1, Math.round(rng.chance(0.005) ? 200_000 + rng.next() * 800_000 : Math.exp(7.6 + 0.5 * rng.normal()))))
}

describe('histogram merging', () => {
  it('merging across threads and processes equals one histogram over all samples', async () => {
    const parts = [samples(20_000, 1), samples(5_000, 2), samples(12_000, 3), samples(8_000, 4)]
    const encoded = await Promise.all([inThread(parts[0]), inThread(parts[1]), inProcess(parts[2]), inProcess(parts[3])])
    const merged = mergeEncoded(encoded)
    const single = createHistogram()
    for (const p of parts) for (const v of p) single.recordValue(v)
    expect(merged.totalCount).toBe(45_000)
    expect(summarize(merged)).toEqual(summarize(single))
    expect(spectrum(merged)).toEqual(spectrum(single))
    for (const p of [50, 90, 99, 99.9, 99.99]) expect(merged.getValueAtPercentile(p)).toBe(single.getValueAtPercentile(p))
    // Averaging the parts' p99 would have been wrong: the tail is not spread evenly.
    const avgP99 = mergedParts(encoded).reduce((s, h) => s + h.getValueAtPercentile(99), 0) / encoded.length
    expect(avgP99).not.toBe(single.getValueAtPercentile(99))
  })
})

function mergedParts(encoded: string[]) {
  return encoded.map((e) => mergeEncoded([e]))
}
