// A subscriber that keeps every trending broadcast: one CSV row per top entry,
//   seq,at,rank,productId,count,meanRating
// appended to a file (the header only when the file is new or empty), each update in one
// write followed by fdatasync, so a crash loses at most the update being written.
import { open, stat } from 'node:fs/promises'
import { TrendingUpdate } from './schemas.ts'

export const SINK_CSV_HEADER = 'seq,at,rank,productId,count,meanRating'

export interface SinkOptions {
  /** Called for an update that fails the TrendingUpdate schema; it is skipped, not written. */
  onInvalid?: (update: unknown, reason: string) => void
  /** Called after each update is on disk. */
  onUpdate?: (u: TrendingUpdate, rows: number) => void
}

/** The CSV rows of one update (rank is 1-based; meanRating rounded to 4 decimals). */
export function trendingRows(u: TrendingUpdate): string[] {
  return u.top.map((e, i) => `${u.seq},${u.at},${i + 1},${e.productId},${e.count},${Number(e.meanRating.toFixed(4))}`)
}

async function isNewFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).size === 0
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true
    throw err
  }
}

/** Appends every update to `file` until the iterable ends; returns the number of rows written. */
export async function runSink(updates: AsyncIterable<TrendingUpdate>, file: string, o: SinkOptions = {}): Promise<number> {
  const fresh = await isNewFile(file)
  const fh = await open(file, 'a')
  let rows = 0
  try {
    if (fresh) await fh.write(SINK_CSV_HEADER + '\n')
    for await (const raw of updates) {
      // Updates arrive over a wire: a malformed one must not put a broken row in the CSV.
      const parsed = TrendingUpdate.safeParse(raw)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        o.onInvalid?.(raw, `${issue.path.join('.') || 'update'}: ${issue.message}`)
        continue
      }
      const lines = trendingRows(parsed.data)
      if (lines.length > 0) {
        await fh.write(lines.join('\n') + '\n')
        await fh.datasync()
      }
      rows += lines.length
      o.onUpdate?.(parsed.data, lines.length)
    }
  } finally {
    await fh.close()
  }
  return rows
}
