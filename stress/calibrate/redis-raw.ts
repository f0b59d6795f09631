// The raw ioredis baseline: the client LPUSHes "<replyKey>\n<body>" onto a request list
// (auto-pipelined), the echo server pops batches (BLMPOP ... COUNT, the batched form of
// BRPOP) and LPUSHes each body onto its reply list, the client pops its reply list the same
// way. The same list round trip the redis middleware makes, minus everything it adds.
// Bodies go out as Buffers, as the middleware sends them: ioredis writes a tick's string
// commands as one concatenated string, which costs more.
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { UnavailableError } from '../../core/errors.ts'
import { createLogger } from '../../core/log.ts'
import { echoOfText } from '../operations.ts'
import { payloadPool, POOL_SIZE } from '../payload.ts'
import type { RawClientFactory, RawServer } from './raw.ts'

const log = createLogger('calibrate')
const BATCH = 1000
const POP_TIMEOUT_S = 1

type Popped = [string, string[]] | null

/** Pops up to BATCH items; null after POP_TIMEOUT_S with nothing to pop. */
function popBatch(r: Redis, key: string): Promise<Popped> {
  return r.call('BLMPOP', POP_TIMEOUT_S, 1, key, 'RIGHT', 'COUNT', BATCH) as Promise<Popped>
}

function split(address: string): { url: string; ns: string } {
  const i = address.lastIndexOf('#')
  return { url: address.slice(0, i), ns: address.slice(i + 1) }
}

export async function startRedisEcho(url: string): Promise<RawServer> {
  const ns = `mwlab-raw-${randomBytes(4).toString('hex')}`
  const reqKey = `${ns}:req`
  const blk = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
  const cmd = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableAutoPipelining: true })
  await Promise.all([blk.connect(), cmd.connect()])
  const version = /redis_version:(\S+)/.exec(await cmd.info('server'))?.[1]
  let closed = false
  const loop = (async () => {
    while (!closed) {
      let got: Popped
      try {
        got = await popBatch(blk, reqKey)
      } catch (err) {
        if (!closed) log.error('redis echo server: pop failed', err)
        return
      }
      if (!got) continue
      const pipe = cmd.pipeline()
      for (const m of got[1]) {
        const nl = m.indexOf('\n')
        pipe.lpush(m.slice(0, nl), Buffer.from(m.slice(nl + 1)))
      }
      pipe.exec().catch((err: unknown) => log.error('redis echo server: reply failed', err))
    }
  })()
  return {
    address: `${url}#${ns}`,
    serverVersion: version ? `Redis ${version}` : undefined,
    async close() {
      closed = true
      blk.disconnect() // ends a BLMPOP in progress
      await loop
      await cmd.del(reqKey)
      await cmd.quit()
    },
  }
}

export const connectRaw: RawClientFactory = async (address, workload, seed) => {
  const { url, ns } = split(address)
  const replyKey = `${ns}:rep:${randomBytes(6).toString('hex')}`
  const cmd = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableAutoPipelining: true })
  const blk = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
  await Promise.all([cmd.connect(), blk.connect()])
  const texts = payloadPool(workload.payload, seed).inputs.map((i) => i.text)
  const pending = new Map<string, (echo: string | undefined) => void>()
  let closed = false
  const replies = (async () => {
    while (!closed) {
      let got: Popped
      try {
        got = await popBatch(blk, replyKey)
      } catch (err) {
        if (!closed) log.error('redis raw client: pop failed', err)
        return
      }
      for (const body of got?.[1] ?? []) {
        const id = echoOfText(body)
        const settle = id === undefined ? undefined : pending.get(id)
        if (settle && id !== undefined) {
          pending.delete(id)
          settle(id)
        }
      }
    }
  })()
  let n = 0
  const caller = (id: string) =>
    new Promise<string | undefined>((resolve, reject) => {
      pending.set(id, resolve)
      cmd.lpush(`${ns}:req`, Buffer.from(`${replyKey}\n[${id}] ${texts[n++ & (POOL_SIZE - 1)]}`)).catch((err: Error) => {
        pending.delete(id)
        reject(new UnavailableError(`redis: ${err.message}`, { cause: err }))
      })
    })
  return {
    caller,
    async close() {
      closed = true
      blk.disconnect()
      await replies
      await cmd.del(replyKey).catch((err: unknown) => log.warn('redis raw client: could not delete its reply list', err))
      await cmd.quit()
    },
  }
}
