// `npm run bench:micro`: the per-call costs the README and the issue notes quote, measured
// in this process with no broker or network: what a server spends on one moderate job
// (complex payload) and what the client core adds per call. Prints µs per operation,
// the median of 3 one-second runs.
import { RecentIds } from '../core/bounded.ts'
import { clientFromTransport } from '../core/client.ts'
import { makeCensor } from '../core/moderate.ts'
import { parseParams, ReviewService } from '../core/service.ts'
import { OperationParams } from '../core/schemas.ts'
import { decodeEnvelope as decodeKafkaEnvelope, encode as encodeKafka } from '../kafka/codec.ts'
import { decodeEnvelope as decodeRedisEnvelope } from '../redis/wire.ts'
import { payloadPool } from '../stress/payload.ts'

const N = 1024
const inputs = payloadPool('complex', 1).inputs.slice(0, N)
const params = inputs.map((i, k) => ({ text: `[id-${k}] ${i.text}`, requestId: `id-${k}` }))
const redisJobs = params.map((p, k) => JSON.stringify({ id: `c.${k}`, op: 'moderate', params: p, replyTo: 'client', deadline: Date.now() + 3_600_000 }))
const kafkaJobs = params.map((p, k) =>
  encodeKafka({ id: `c.${k}`, op: 'moderate', params: p, replyTo: 'ns.replies', replyPartition: 0, client: 'client', deadline: Date.now() + 3_600_000 }),
)

/** µs per call of `f`, median of 3 runs of about a second each. Only a promise is awaited: an await per synchronous call would add a microtask turn to what is measured. */
async function perCall(f: (i: number) => unknown): Promise<number> {
  const runs: number[] = []
  for (let r = 0; r < 3; r++) {
    let n = 0
    const t0 = performance.now()
    while (performance.now() - t0 < 1000) {
      for (let i = 0; i < N; i++) {
        const r = f(i)
        if (r instanceof Promise) await r
      }
      n += N
    }
    runs.push(((performance.now() - t0) * 1000) / n)
  }
  return runs.sort((a, b) => a - b)[1]
}

/** Calls in flight sharing one caller signal, as the stress ledger makes them; µs per call. */
async function clientOverhead(inFlight: number): Promise<number> {
  const answer = { text: 'x', hits: 0 }
  const client = clientFromTransport({
    call: () => new Promise((resolve) => setImmediate(resolve, answer)),
    subscribe: () => {
      throw new Error('not used')
    },
    close: async () => {},
  })
  const signal = new AbortController().signal
  const runs: number[] = []
  for (let r = 0; r < 3; r++) {
    let n = 0
    const t0 = performance.now()
    const slot = async () => {
      while (performance.now() - t0 < 1000) {
        await client.moderate('x', undefined, { signal, requestId: 'r' })
        n++
      }
    }
    await Promise.all(Array.from({ length: inFlight }, slot))
    runs.push(((performance.now() - t0) * 1000) / n)
  }
  return runs.sort((a, b) => a - b)[1]
}

/** What a client pays per reply to remember its id, once its memory of answered ids is full. */
async function rememberAtCapacity(capacity: number): Promise<number> {
  const ids = new RecentIds(capacity)
  let seq = 0
  for (; seq < capacity; seq++) ids.add(`c.${seq}`)
  return perCall(() => ids.add(`c.${++seq}`))
}

const service = new ReviewService()
const censor = makeCensor()
const rows: [string, number][] = [
  ['redis envelope decode (JSON.parse + hand checks)', await perCall((i) => decodeRedisEnvelope(redisJobs[i]))],
  ['kafka envelope: JSON.parse alone', await perCall((i) => JSON.parse(kafkaJobs[i].toString('utf8')))],
  ['kafka envelope decode (JSON.parse + hand checks)', await perCall((i) => decodeKafkaEnvelope(kafkaJobs[i]))],
  ['moderate params validation (hand check; zod for the rest)', await perCall((i) => parseParams('moderate', params[i]))],
  ['moderate params validation, zod alone', await perCall((i) => OperationParams.moderate.parse(params[i]))],
  ['censor', await perCall((i) => censor(params[i].text))],
  ['whole job: decode, service.callJob, reply JSON', await perCall(async (i) => {
    const d = decodeRedisEnvelope(redisJobs[i])
    if (!d.ok) throw new Error(d.reason)
    return JSON.stringify({ id: d.msg.id, ok: true, result: await service.callJob(d.msg.op, d.msg.params) })
  })],
  ['client core per call, 1024 in flight on one signal', await clientOverhead(1024)],
  ['remember an answered id (100k remembered)', await rememberAtCapacity(100_000)],
]
const width = Math.max(...rows.map(([k]) => k.length))
for (const [what, us] of rows) process.stdout.write(`${what.padEnd(width)}  ${us.toFixed(2).padStart(6)} µs\n`)
