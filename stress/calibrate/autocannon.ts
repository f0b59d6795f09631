// autocannon against the JSON-RPC endpoint the rpc run just measured: a POST with the same
// moderate body (the pool's text of median size), the same number of connections as the
// closed loop's concurrency, one worker thread like mwlab's generator (or in-process when
// mwlab ran in-process). Warm-up, then one run per repetition.
import autocannon, { type Result } from 'autocannon'
import { packageVersion } from '../environment.ts'
import { spreadOf, type ErrorInfo } from '../result.ts'
import type { LoadPlan } from '../load-run.ts'
import { payloadPool } from '../payload.ts'
import type { Workload } from '../types.ts'
import type { BaselineResult } from './types.ts'

const WHAT = 'autocannon (raw HTTP/1.1 keep-alive) POSTing one JSON-RPC moderate body to the same endpoint'

function run(url: string, body: string, connections: number, seconds: number, workers: number, signal?: AbortSignal): Promise<Result> {
  return new Promise((resolve, reject) => {
    const inst = autocannon(
      {
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        connections,
        duration: seconds,
        ...(workers > 0 && { workers }),
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    )
    signal?.addEventListener('abort', () => inst.stop(), { once: true })
  })
}

/** autocannon as a calibration contender: one autocannon run per phase. */
export class AutocannonRun {
  readonly name = 'autocannon' as const
  private readonly body: string
  private readonly url: string
  private readonly rates: number[] = []
  private last?: Result
  private errors = 0
  private error?: ErrorInfo
  private readonly versions = { autocannon: packageVersion('autocannon') ?? 'unknown' }

  constructor(
    address: string,
    private readonly plan: LoadPlan,
    w: Workload,
    private readonly signal?: AbortSignal,
  ) {
    const texts = payloadPool(w.payload, w.seed).inputs.map((i) => i.text).sort((a, b) => a.length - b.length)
    this.body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'moderate', params: { text: texts[texts.length >> 1] } })
    this.url = address.endsWith('/') ? address : `${address}/`
    if (plan.load.mode !== 'closed') this.error = { code: 'INVALID_ARGUMENT', message: 'autocannon calibrates closed-loop runs only' }
  }

  private get connections(): number {
    return this.plan.load.mode === 'closed' ? this.plan.load.concurrency : 1
  }

  private async phase(ms: number): Promise<Result | undefined> {
    if (this.error || this.signal?.aborted) return undefined
    try {
      return await run(this.url, this.body, this.connections, Math.max(1, ms) / 1000, this.plan.loadWorkers, this.signal)
    } catch (err) {
      this.error = { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) }
      return undefined
    }
  }

  async warmup(): Promise<void> {
    if (this.plan.warmupMs > 0) await this.phase(this.plan.warmupMs)
  }

  async measure(): Promise<void> {
    const r = await this.phase(this.plan.durationMs)
    if (!r) return
    const ok = r['2xx'] ?? r.requests.total - r.non2xx
    if (ok === 0) {
      this.error = { code: 'UNAVAILABLE', message: `autocannon got no 2xx answer from ${this.url} (${r.errors} errors, ${r.non2xx} non-2xx)` }
      return
    }
    this.errors += r.errors + r.non2xx
    this.rates.push(Math.round((ok / r.duration) * 10) / 10)
    this.last = r
  }

  result(): BaselineResult {
    const what = `${WHAT}; ${this.connections} connections${this.errors ? `; ${this.errors} errors/non-2xx` : ''}`
    if (this.error) return { name: 'autocannon', what, state: 'failed', error: this.error, versions: this.versions }
    const l = this.last?.latency
    const ms = (x: number) => Math.round(x * 1000)
    return {
      name: 'autocannon',
      what,
      state: this.signal?.aborted || this.rates.length < this.plan.repeat ? 'partial' : 'completed',
      throughput: spreadOf(this.rates),
      repetitions: [...this.rates],
      // autocannon reports ms; kept in µs like every other latency (its last repetition).
      latency: l && {
        count: this.last?.requests.total ?? 0,
        minUs: ms(l.min),
        meanUs: ms(l.average),
        stdevUs: ms(l.stddev),
        p50Us: ms(l.p50),
        p90Us: ms(l.p90),
        p99Us: ms(l.p99),
        p999Us: ms(l.p99_9),
        maxUs: ms(l.max),
      },
      versions: this.versions,
    }
  }

  async close(): Promise<void> {}
}
