import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_TEXT_BYTES, ReviewInput } from './schemas.ts'
import { parseAmazonLine, replay, truncateUtf8 } from './replay.ts'

const SAMPLE = new URL('../test/fixtures/amazon-sample.jsonl', import.meta.url).pathname
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mwlab-replay-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function readAll(file: string, opts: { count?: number; rate?: number } = {}) {
  const skips: [number, string][] = []
  const r = replay({ file, ...opts, onSkip: (line, reason) => skips.push([line, reason]) })
  const inputs: ReviewInput[] = []
  for await (const p of r) inputs.push(p.value)
  return { inputs, skips, stats: r.stats }
}

describe('truncateUtf8', () => {
  it('cuts at a character boundary, never inside one', () => {
    expect(truncateUtf8('short', 10)).toBe('short')
    expect(truncateUtf8('ééé', 5)).toBe('éé') // 6 bytes; byte 5 would split the third é
    expect(truncateUtf8('€€', 5)).toBe('€') // 3-byte characters
    expect(truncateUtf8('😀😀😀', 6)).toBe('😀') // 4-byte characters (surrogate pairs in JS)
    expect(truncateUtf8('😀', 3)).toBe('')
    expect(truncateUtf8('abc€', 4)).toBe('abc')
  })
})

describe('parseAmazonLine', () => {
  it('maps the Amazon fields onto a ReviewInput', () => {
    const r = parseAmazonLine('{"reviewerID":"A1","asin":"b00004y2ut","overall":4.0,"reviewText":"ok","unixReviewTime":1393545600,"summary":"x"}')
    expect(r).toEqual({ ok: true, truncated: false, input: { productId: 'B00004Y2UT', reviewerId: 'A1', rating: 4, text: 'ok', ts: 1_393_545_600_000 } })
  })

  it.each([
    ['{"asin":', 'json'],
    ['42', 'object'],
    ['null', 'object'],
    ['{"asin":"B00004Y2UT","overall":5}', 'reviewerID'],
    ['{"reviewerID":"A1","asin":"B0","overall":5}', 'asin'],
    ['{"reviewerID":"A1","asin":"B00004Y2UT","overall":6}', 'overall'],
    ['{"reviewerID":"A1","asin":"B00004Y2UT","overall":5,"reviewText":7}', 'reviewText'],
    ['{"reviewerID":"A1","asin":"B00004Y2UT","overall":5,"unixReviewTime":"yesterday"}', 'unixReviewTime'],
    [`{"reviewerID":"${'A'.repeat(65)}","asin":"B00004Y2UT","overall":5}`, 'reviewerID'],
  ])('skips %s with reason %s', (line, reason) => {
    expect(parseAmazonLine(line)).toMatchObject({ ok: false, reason })
  })
})

describe('replay', () => {
  it('maps the valid lines of the sample file and counts the invalid ones', async () => {
    const { inputs, skips, stats } = await readAll(SAMPLE)
    expect(stats).toEqual({
      lines: 22,
      valid: 14,
      blank: 1,
      skipped: 7,
      reasons: { json: 1, asin: 2, overall: 2, object: 1, unixReviewTime: 1 },
      truncated: 0,
    })
    expect(skips.map(([line]) => line)).toEqual([11, 14, 15, 16, 18, 19, 20])
    expect(inputs).toHaveLength(14)
    for (const i of inputs) expect(ReviewInput.parse(i)).toEqual(i)
    expect(inputs[0]).toEqual({
      productId: '0000013714',
      reviewerId: 'A2SUAM1J3GNN3B',
      rating: 5,
      text: 'I bought this for my husband who plays the piano. He is having a wonderful time playing these old hymns.',
      ts: 1_252_800_000_000,
    })
    expect(inputs[4].text).toBe('Très bien, fonctionne parfaitement ☕ — livraison rapide.')
    expect(inputs[5].productId).toBe('B000BQ7GW8') // upper-cased
    expect(inputs[6]).not.toHaveProperty('ts') // no unixReviewTime: the service stamps it
    expect(inputs[7].text).toBe('') // no reviewText
  })

  it('truncates long texts to 4 KiB at a UTF-8 boundary', async () => {
    const file = join(dir, 'long.jsonl')
    const line = (text: string) => JSON.stringify({ reviewerID: 'A1', asin: 'B00004Y2UT', overall: 3, reviewText: text, unixReviewTime: 1 })
    await writeFile(file, [line('€'.repeat(2000)), line('x'.repeat(MAX_TEXT_BYTES))].join('\n'))
    const { inputs, stats } = await readAll(file)
    expect(inputs[0].text).toBe('€'.repeat(1365)) // 4095 bytes: a 1366th € would need 4098
    expect(inputs[1].text).toHaveLength(MAX_TEXT_BYTES) // exactly at the limit: kept whole
    expect(stats.truncated).toBe(1)
  })

  it('stops after count without reading further', async () => {
    const { inputs, stats } = await readAll(SAMPLE, { count: 3 })
    expect(inputs.map((i) => i.reviewerId)).toEqual(['A2SUAM1J3GNN3B', 'A14VAT5EAX3D9S', 'A195EZSQDW3E21'])
    expect(stats.lines).toBe(3)
  })

  it('reads gzipped files', async () => {
    const file = join(dir, 'sample.json.gz')
    await writeFile(file, gzipSync(await readFile(SAMPLE)))
    const { inputs, stats } = await readAll(file)
    expect(inputs).toEqual((await readAll(SAMPLE)).inputs)
    expect(stats.skipped).toBe(7)
  })

  it('fails clearly on a missing file or a corrupt gzip stream', async () => {
    await expect(readAll(join(dir, 'missing.jsonl'))).rejects.toMatchObject({ code: 'ENOENT' })
    const file = join(dir, 'cut.json.gz')
    const gz = gzipSync(Buffer.from('{"x":1}\n'.repeat(5000)))
    await writeFile(file, gz.subarray(0, gz.length >> 1))
    await expect(readAll(file)).rejects.toThrow(/unexpected end of file/)
  })

  it('paces the replay like the generator', async () => {
    const at: number[] = []
    for await (const p of replay({ file: SAMPLE, rate: 50, count: 5 })) at.push(p.intendedAt)
    expect(at).toHaveLength(5)
    at.forEach((t, i) => expect(t - at[0]).toBeCloseTo(i * 20, 6))
  })
})
