// Hand-written checks for what queue middlewares carry per call (envelopes, replies): zod is
// too slow for a check that runs once per message (kafka/codec.ts, redis/wire.ts). Each
// returns the problem as "field: what is wrong", or undefined when the value is fine.

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** A string of min..max characters. */
export function stringProblem(m: Record<string, unknown>, field: string, min: number, max: number): string | undefined {
  const v = m[field]
  return typeof v === 'string' && v.length >= min && v.length <= max ? undefined : `${field}: must be a string of ${min}..${max} characters`
}

/** The id and op every request envelope has. */
export function idOpProblem(m: Record<string, unknown>): string | undefined {
  return stringProblem(m, 'id', 1, 128) ?? stringProblem(m, 'op', 1, 64)
}

/** An absolute deadline, ms since epoch. */
export function deadlineProblem(v: unknown): string | undefined {
  return Number.isSafeInteger(v) && (v as number) > 0 ? undefined : 'deadline: must be ms since epoch'
}

/** A field beyond `known`: envelopes are strict, so a typo is not silently ignored. */
export function unknownFieldProblem(m: Record<string, unknown>, known: ReadonlySet<string>): string | undefined {
  for (const k in m) if (!known.has(k)) return `${k}: unknown field`
  return undefined
}
