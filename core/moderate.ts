// moderate(text, cost): censor banned words, then do the modelled extra work.
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

/** Keeps the burn loop's result observable so the compiler cannot drop the loop. */
let _sink = 0

/**
 * Burns about `micros` µs of this process's CPU time, so CPU-bound scaling is real.
 * Measured in CPU time, not wall time: on an oversubscribed machine a job still costs its
 * full CPU (it just takes longer), so speedup stays capped by cores instead of looking
 * linear. Integer arithmetic only: a loop that allocated (hash digests) made garbage whose
 * collection ran on helper threads, so each job also took CPU from the other processes.
 */
export function burnCpu(micros: number): void {
  if (micros <= 0) return
  const start = process.cpuUsage()
  let x = 0x9e3779b9
  for (;;) {
    // A few µs of xorshift between clock reads (reading the clock is a system call).
    for (let i = 0; i < 2_000; i++) {
      x ^= x << 13
      x ^= x >>> 17
      x ^= x << 5
    }
    _sink = x
    const used = process.cpuUsage(start)
    if (used.user + used.system >= micros) return
  }
}

/** Applies the cost model: CPU first (blocks this process, as real work would), then the I/O wait. */
export async function applyCost(cost: Cost | undefined): Promise<void> {
  if (!cost) return
  burnCpu(cost.cpuMicros)
  if (cost.ioMillis > 0) await sleep(cost.ioMillis)
}
