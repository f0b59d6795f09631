// moderate(text, cost): censor banned words, then do the modelled extra work.
import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Cost, Moderated } from './schemas.ts'

export const DEFAULT_BANNED_WORDS: readonly string[] = ['idiot', 'stupid', 'scam', 'fraud', 'garbage', 'moron']
export const CENSORED = 'CENSORED'

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

export type Censor = (text: string) => Moderated

/** A censor for one banned-word list: whole words, case-insensitive, each replaced by CENSORED. */
export function makeCensor(words: readonly string[] = DEFAULT_BANNED_WORDS): Censor {
  const clean = words.map((w) => w.trim()).filter((w) => w.length > 0)
  if (clean.length === 0) return (text) => ({ text, hits: 0 })
  // Lookarounds instead of \b so words with non-ASCII letters are still matched whole.
  const re = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${clean.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}_])`, 'giu')
  return (text) => {
    let hits = 0
    const out = text.replace(re, () => {
      hits++
      return CENSORED
    })
    return { text: out, hits }
  }
}

/** Burns real CPU for about `micros` µs (sha256 in a loop), so CPU-bound scaling is real. */
export function burnCpu(micros: number): void {
  if (micros <= 0) return
  const end = process.hrtime.bigint() + BigInt(micros) * 1000n
  let buf = Buffer.alloc(64, 7)
  while (process.hrtime.bigint() < end) {
    for (let i = 0; i < 16; i++) buf = createHash('sha256').update(buf).digest()
  }
}

/** Applies the cost model: CPU first (blocks this process, as real work would), then the I/O wait. */
export async function applyCost(cost: Cost | undefined): Promise<void> {
  if (!cost) return
  burnCpu(cost.cpuMicros)
  if (cost.ioMillis > 0) await sleep(cost.ioMillis)
}
