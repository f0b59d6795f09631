// Option parsers shared by the CLI commands.
import { InvalidArgumentError, Option } from 'commander'
import { MIDDLEWARES, type MiddlewareName } from '../core/contract.ts'

export function parseMiddleware(v: string): MiddlewareName {
  if (!(MIDDLEWARES as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${MIDDLEWARES.join(', ')}`)
  return v as MiddlewareName
}

export function parseIntOption(v: string): number {
  const n = Number(v)
  if (v.trim() === '' || !Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer')
  return n
}

export function parsePositiveInt(v: string): number {
  const n = Number(v)
  if (v.trim() === '' || !Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected an integer >= 1')
  return n
}

export function parsePositiveNumber(v: string): number {
  const n = Number(v)
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number > 0')
  return n
}

/** "500ms", "10s", "2m" or a bare number of milliseconds. */
export function parseDuration(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v.trim())
  if (!m) throw new InvalidArgumentError('expected a duration such as 500ms, 10s or 1m')
  const n = Number(m[1])
  return Math.round(m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n)
}

function formatDuration(ms: number): string {
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000}m`
  if (ms > 0 && ms % 1000 === 0) return `${ms / 1000}s`
  return `${ms}ms`
}

/** A duration flag whose --help shows the default as a duration (10s), not as milliseconds. */
export function durationOption(flags: string, description: string, defaultMs: number, parse: (v: string) => number = parseDuration): Option {
  return new Option(flags, description).argParser(parse).default(defaultMs, formatDuration(defaultMs))
}

/** A duration that must be longer than zero (a window, a timeout). */
export function parsePositiveDuration(v: string): number {
  const ms = parseDuration(v)
  if (ms <= 0) throw new InvalidArgumentError('expected a duration longer than 0, such as 500ms, 10s or 1m')
  return ms
}

export function parseList(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}

/** Middleware names, comma-separated or as separate arguments, `all` for every one; each once. */
export function parseMiddlewares(names: string[]): MiddlewareName[] {
  const out: MiddlewareName[] = []
  for (const n of names.flatMap(parseList)) {
    if (n === 'all') out.push(...MIDDLEWARES)
    else if ((MIDDLEWARES as readonly string[]).includes(n)) out.push(n as MiddlewareName)
    else throw new InvalidArgumentError(`unknown middleware "${n}": expected ${MIDDLEWARES.join(', ')} or all`)
  }
  return [...new Set(out)]
}
