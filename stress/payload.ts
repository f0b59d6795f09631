// The messages a load generator sends, drawn from core/generator.ts (seeded, Zipf-like
// product popularity) once before the run, so generating data never costs time on the
// hot path and two runs with the same seed send the same bytes.
import { generateBatch } from '../core/generator.ts'
import type { ReviewInput } from '../core/schemas.ts'
import type { PayloadKind } from './types.ts'

/** A power of two, so picking the next item is a mask, not a modulo. */
export const POOL_SIZE = 1024

export interface PayloadPool {
  kind: PayloadKind
  inputs: ReviewInput[]
  /** Text bytes, mean over the pool (recorded in the result's environment). */
  meanTextBytes: number
}

export function payloadPool(kind: PayloadKind, seed: number): PayloadPool {
  const inputs = generateBatch(POOL_SIZE, { seed, kind }).map((m) => m.input)
  const bytes = inputs.reduce((s, i) => s + Buffer.byteLength(i.text, 'utf8'), 0)
  return { kind, inputs, meanTextBytes: Math.round(bytes / inputs.length) }
}
