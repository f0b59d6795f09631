// Test helper: fires `total` moderate jobs through a client, at most `window` at a time,
// and accounts for every one (sent = ok + failed, wrong answers count as failed).
import type { ReviewClient } from '../core/contract.ts'
import type { CostInput } from '../core/schemas.ts'

export interface JobLoad {
  readonly sent: number
  readonly ok: number
  readonly failed: number
  readonly errors: unknown[]
  /** sent and not yet answered */
  inFlight(): number
  /** resolves when every job has an outcome */
  done: Promise<void>
}

export function fireJobs(client: ReviewClient, total: number, o: { window?: number; cost?: CostInput; timeoutMs?: number } = {}): JobLoad {
  const s = { sent: 0, ok: 0, failed: 0, errors: [] as unknown[] }
  let next = 0
  async function one(i: number): Promise<void> {
    s.sent++
    try {
      const m = await client.moderate(`job ${i} says idiot`, o.cost, { timeoutMs: o.timeoutMs ?? 60_000 })
      if (m.text === `job ${i} says CENSORED` && m.hits === 1) s.ok++
      else {
        s.failed++
        s.errors.push(new Error(`job ${i}: wrong answer ${JSON.stringify(m)}`))
      }
    } catch (err) {
      s.failed++
      s.errors.push(err)
    }
  }
  async function lane(): Promise<void> {
    while (next < total) await one(next++)
  }
  const done = Promise.all(Array.from({ length: Math.min(o.window ?? total, total) }, lane)).then(() => undefined)
  return {
    get sent() {
      return s.sent
    },
    get ok() {
      return s.ok
    },
    get failed() {
      return s.failed
    },
    errors: s.errors,
    inFlight: () => s.sent - s.ok - s.failed,
    done,
  }
}
