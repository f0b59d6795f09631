import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBroadcaster } from './broadcaster.ts'
import { Channel } from './channel.ts'
import { ReviewStore } from './review-store.ts'
import type { TrendingUpdate } from './schemas.ts'
import { LocalBackend } from './service.ts'
import { runSink, SINK_CSV_HEADER } from './sink.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mwlab-sink-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function* from<T>(items: T[]): AsyncGenerator<T> {
  for (const i of items) yield i
}

const u1: TrendingUpdate = {
  seq: 1,
  at: 1_700_000_000_000,
  top: [
    { productId: 'B00004Y2UT', count: 3, meanRating: 14 / 3 },
    { productId: 'B00005N7P0', count: 1, meanRating: 2 },
  ],
}
const u2: TrendingUpdate = { seq: 2, at: 1_700_000_005_000, top: [{ productId: 'B00005N7P0', count: 4, meanRating: 3.5 }] }

describe('runSink', () => {
  it('writes the header and one row per top entry, and returns the row count', async () => {
    const file = join(dir, 'a.csv')
    expect(await runSink(from([u1, u2]), file)).toBe(3)
    expect(await readFile(file, 'utf8')).toBe(
      [
        SINK_CSV_HEADER,
        '1,1700000000000,1,B00004Y2UT,3,4.6667',
        '1,1700000000000,2,B00005N7P0,1,2',
        '2,1700000005000,1,B00005N7P0,4,3.5',
        '',
      ].join('\n'),
    )
  })

  it('appends to an existing file without a second header', async () => {
    const file = join(dir, 'b.csv')
    await runSink(from([u1]), file)
    expect(await runSink(from([u2, { seq: 3, at: 1, top: [] }]), file)).toBe(1)
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n')
    expect(lines.filter((l) => l === SINK_CSV_HEADER)).toHaveLength(1)
    expect(lines).toHaveLength(4)
  })

  it('writes the header into an existing empty file', async () => {
    const file = join(dir, 'c.csv')
    await writeFile(file, '')
    expect(await runSink(from([]), file)).toBe(0)
    expect(await readFile(file, 'utf8')).toBe(SINK_CSV_HEADER + '\n')
  })

  it('skips malformed updates and reports them', async () => {
    const file = join(dir, 'd.csv')
    const bad = [{ seq: 'x', at: 1, top: [] }, { seq: 4, at: 1, top: [{ productId: 'a,b\nc', count: 1, meanRating: 1 }] }]
    const reasons: string[] = []
    const rows = await runSink(from([...bad, u2] as TrendingUpdate[]), file, { onInvalid: (_u, r) => reasons.push(r) })
    expect(rows).toBe(1)
    expect(reasons).toHaveLength(2)
    expect(reasons[1]).toMatch(/^top\.0\.productId/)
    expect((await readFile(file, 'utf8')).split('\n')).toHaveLength(3) // header, one row, trailing newline
  })

  it('records what a broadcaster publishes', async () => {
    const store = new ReviewStore()
    store.submit({ productId: 'B00004Y2UT', reviewerId: 'A1', rating: 5, text: '' })
    const ch = new Channel<TrendingUpdate>()
    let published = 0
    const b = startBroadcaster(
      new LocalBackend(store),
      (u) => {
        ch.push(u)
        if (++published === 3) ch.end()
      },
      { intervalMs: 10 },
    )
    const file = join(dir, 'e.csv')
    try {
      expect(await runSink(ch, file)).toBe(3)
    } finally {
      b.stop()
    }
    const rows = (await readFile(file, 'utf8')).trimEnd().split('\n').slice(1)
    expect(rows.map((r) => r.split(',')[0])).toEqual(['1', '2', '3'])
    for (const r of rows) expect(r).toMatch(/^\d+,\d{13},1,B00004Y2UT,1,5$/)
  })
})
