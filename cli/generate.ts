// mwlab generate: deterministic workload messages (or an Amazon JSON-lines replay) as one
// ReviewInput JSON object per line on stdout, paced at --rate; progress and the summary
// go to stderr. Pipe it anywhere: `mwlab generate --count 100 | head`.
import { once } from 'node:events'
import { Command, InvalidArgumentError, Option } from 'commander'
import { generate, MESSAGE_KINDS, type MessageKind } from '../core/generator.ts'
import { createLogger } from '../core/log.ts'
import type { Paced } from '../core/pace.ts'
import { replay } from '../core/replay.ts'
import { parseIntOption } from './options.ts'

/** "max", "0" or "Infinity": unpaced; otherwise messages per second (> 0). */
export function parseRate(v: string): number {
  if (v === 'max' || v === 'Infinity') return Infinity
  const n = Number(v)
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected messages per second (> 0), or "max" for as fast as possible')
  return n === 0 ? Infinity : n
}

function parseExponent(v: string): number {
  const n = Number(v)
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number >= 0')
  return n
}

const MAX_SKIPS_LOGGED = 10

interface GenerateFlags {
  rate: number
  count?: number
  kind: MessageKind
  seed: number
  replay?: string
  products: number
  zipf: number
  meta: boolean
  progressMs: number
}

/** Writes a line, waiting for the pipe to drain when it is full (no unbounded buffering). */
async function writeLine(line: string, signal: AbortSignal): Promise<void> {
  if (process.stdout.write(line + '\n')) return
  await once(process.stdout, 'drain', { signal }).catch(() => {}) // aborted: the loop ends next turn
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('print workload messages (ReviewInput JSON, one per line) at a given rate')
    .option('--rate <hz>', 'messages per second; "max" (or 0) for as fast as possible', parseRate, 10)
    .option('--count <n>', 'stop after n messages (default: until Ctrl-C, or the end of a --replay file)', parseIntOption)
    .addOption(new Option('--kind <kind>', 'simple rating events or complex full reviews').choices(MESSAGE_KINDS).default('simple'))
    .option('--seed <n>', 'same seed, same messages', parseIntOption, 1)
    .option('--replay <file>', 'replay an Amazon reviews JSON-lines file (.json/.jsonl, or .gz) instead of generating')
    .option('--products <n>', 'catalogue size for generated messages', parseIntOption, 1000)
    .option('--zipf <s>', 'Zipf exponent of product popularity', parseExponent, 1.07)
    .option('--meta', 'print {seq, input, meta} envelopes instead of bare ReviewInputs (generated messages only)', false)
    .option('--progress-ms <n>', 'progress line on stderr this often; 0 disables', parseIntOption, 5000)
    .addHelpText(
      'after',
      `
Examples:
  mwlab generate --count 5 --seed 42
  mwlab generate --kind complex --rate 100 --count 1000 > reviews.jsonl
  mwlab generate --replay reviews_Electronics_5.json.gz --rate max --count 100000`,
    )
    .action(async (o: GenerateFlags) => {
      const log = createLogger('generate')
      if (o.products < 1) throw new InvalidArgumentError('--products must be at least 1')
      const ac = new AbortController()
      const stop = () => ac.abort()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
      // A closed pipe (`| head`) ends the run instead of crashing with EPIPE.
      process.stdout.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE') log.error('stdout failed', err)
        ac.abort()
      })
      const pacing = { rate: o.rate, count: o.count, signal: ac.signal }
      let skipsLogged = 0
      const onSkip = (line: number, _reason: string, message: string) => {
        // The first few name their line; a big dirty file must not flood stderr (the summary counts them all).
        if (++skipsLogged <= MAX_SKIPS_LOGGED) log.warn(`${o.replay}:${line} skipped: ${message}`)
        if (skipsLogged === MAX_SKIPS_LOGGED) log.warn('further skipped lines are only counted in the summary')
      }
      const source = o.replay ? replay({ ...pacing, file: o.replay, onSkip }) : undefined
      const items: AsyncIterable<Paced<unknown>> =
        source ?? generate({ ...pacing, seed: o.seed, kind: o.kind, products: o.products, zipfExponent: o.zipf })

      const started = performance.now()
      let n = 0
      const rateNow = () => (n / Math.max((performance.now() - started) / 1000, 1e-3)).toFixed(1)
      const progress = o.progressMs > 0 ? setInterval(() => log.info(`${n} messages (${rateNow()}/s)`), o.progressMs) : undefined
      progress?.unref()
      try {
        for await (const { value } of items) {
          const v = value as { input?: unknown }
          const out = source || o.meta ? value : v.input
          await writeLine(JSON.stringify(out), ac.signal)
          n++
          if (ac.signal.aborted) break
        }
      } finally {
        clearInterval(progress)
        process.off('SIGINT', stop)
        process.off('SIGTERM', stop)
      }
      const secs = ((performance.now() - started) / 1000).toFixed(2)
      const what = o.replay ? `replayed ${n} reviews from ${o.replay}` : `generated ${n} ${o.kind} messages (seed ${o.seed})`
      log.info(`${what} in ${secs} s (${rateNow()}/s)`)
      if (source) {
        const s = source.stats
        log.info(`lines ${s.lines}: valid ${s.valid}, skipped ${s.skipped} ${JSON.stringify(s.reasons)}, blank ${s.blank}, text truncated ${s.truncated}`)
      }
    })
}
