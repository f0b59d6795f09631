// Turns a workload into the Caller a ledger runs: one contract call per request, carrying
// the ledger's id as requestId and, where the reply can echo it, in the payload too, so a
// reply that answers another request is caught (MISMATCH / duplicates).
import type { CallOptions, ReviewClient } from '../core/contract.ts'
import type { Caller } from './accounting.ts'
import { payloadPool, POOL_SIZE } from './payload.ts'
import type { Workload } from './types.ts'

/** Window and count of the trending call the `trending` op makes. */
export const TRENDING_WINDOW_MS = 60_000
export const TRENDING_K = 5
export const LIST_LIMIT = 20

/** The id a moderate reply carries: the text starts with "[<id>] " and censoring never touches it. */
export function echoOfText(text: string): string | undefined {
  if (text.charCodeAt(0) !== 91 /* [ */) return undefined
  const end = text.indexOf(']')
  return end > 0 ? text.slice(1, end) : undefined
}

/**
 * `callTimeoutMs` is only a backstop handed to the client: the ledger decides what timed
 * out, and ends every phase by cancelling what is left, long before this fires.
 */
export function makeCaller(client: ReviewClient, w: Workload, seed: number, callTimeoutMs: number): Caller {
  const pool = payloadPool(w.payload, seed)
  const inputs = pool.inputs
  const mask = POOL_SIZE - 1
  const cost = w.cost.cpuMicros > 0 || w.cost.ioMillis > 0 ? w.cost : undefined
  let i = 0
  const opts = (id: string, signal: AbortSignal): CallOptions => ({ requestId: id, signal, timeoutMs: callTimeoutMs })
  switch (w.op) {
    case 'moderate':
      return (id, signal) =>
        client.moderate(`[${id}] ${inputs[i++ & mask].text}`, cost, opts(id, signal)).then((r) => echoOfText(r.text) ?? '')
    case 'submitReview':
      // reviewerId carries the id: the stored review echoes it back.
      return (id, signal) => client.submitReview({ ...inputs[i++ & mask], reviewerId: id }, opts(id, signal)).then((r) => r.reviewerId)
    case 'listReviews':
      return (id, signal) => client.listReviews(inputs[i++ & mask].productId, LIST_LIMIT, opts(id, signal)).then(() => undefined)
    case 'trending':
      return (id, signal) => client.trending(TRENDING_WINDOW_MS, TRENDING_K, opts(id, signal)).then(() => undefined)
  }
}

/** Reviews to store before a read-only op is measured, so listReviews and trending read real data. */
export async function seedReviews(client: ReviewClient, w: Workload, count: number): Promise<void> {
  const pool = payloadPool(w.payload, w.seed + 7919)
  const batch = 50
  for (let done = 0; done < count; done += batch) {
    const n = Math.min(batch, count - done)
    await Promise.all(Array.from({ length: n }, (_, k) => client.submitReview(pool.inputs[(done + k) % POOL_SIZE])))
  }
}
