// The store owner's side of request/reply: a few blocking connections pop batches of
// requests (BLMPOP ... COUNT n), the service runs them, and the replies of a batch go back
// in one pipeline, grouped per client reply list. Requests are not made reliable like jobs:
// if the owner dies, the store dies with it, and clients see a TimeoutError.
import type { Redis } from 'ioredis'
import { setTimeout as sleep } from 'node:timers/promises'
import { errorForReply } from '../core/errors.ts'
import type { Logger } from '../core/log.ts'
import type { ReviewService } from '../core/service.ts'
import { closeRedis, openRedis } from './connection.ts'
import type { Keys } from './keys.ts'
import { DEAD_LIST_CAP, deadEntry, decodeEnvelope, encodeMessage, type Envelope, type Reply } from './wire.ts'

/** Reply lists of clients that died are left to expire after this long. */
export const REPLY_TTL_MS = 60_000
const POP_TIMEOUT_S = 0.5 // how long close() may wait for a blocked pop to notice

export interface RequestServerOptions {
  url: string
  keys: Keys
  service: ReviewService
  /** a non-blocking, auto-pipelined connection shared with the rest of the node */
  cmd: Redis
  log: Logger
  /** parallel blocking pops, so one batch is processed while the next is fetched */
  poppers?: number
  batch?: number
}

export interface RequestServer {
  readonly stats: { served: number; dead: number; expired: number }
  stop(): Promise<void>
}

export async function startRequestServer(o: RequestServerOptions): Promise<RequestServer> {
  const stats = { served: 0, dead: 0, expired: 0 }
  const batch = o.batch ?? 256
  let stopping = false
  const conns = await Promise.all(
    Array.from({ length: o.poppers ?? 2 }, (_, i) => openRedis(o.url, { name: `mwlab-requests-${i}`, log: o.log })),
  )

  async function answer(msg: Envelope): Promise<Reply> {
    try {
      return { id: msg.id, ok: true, result: await o.service.call(msg.op, msg.params) }
    } catch (err) {
      return { id: msg.id, ok: false, error: errorForReply(err, o.log, msg.op).toWire() }
    }
  }

  async function handle(raws: string[]): Promise<void> {
    const byClient = new Map<string, Buffer[]>()
    const pipe = o.cmd.pipeline()
    const now = Date.now()
    const work: Promise<void>[] = []
    for (const raw of raws) {
      const d = decodeEnvelope(raw)
      if (!d.ok) {
        stats.dead++
        o.log.warn(`dead request: ${d.reason}`)
        pipe.lpush(o.keys.dead, deadEntry(raw, d.reason)).ltrim(o.keys.dead, 0, DEAD_LIST_CAP - 1)
        continue
      }
      if (d.msg.deadline < now) {
        stats.expired++ // the client has given up already; an answer would only be counted as late
        continue
      }
      work.push(
        answer(d.msg).then((r) => {
          const list = byClient.get(d.msg.replyTo) ?? []
          list.push(encodeMessage(r))
          byClient.set(d.msg.replyTo, list)
        }),
      )
    }
    await Promise.all(work)
    for (const [client, replies] of byClient) {
      const key = o.keys.reply(client)
      pipe.lpush(key, ...replies).pexpire(key, REPLY_TTL_MS)
      stats.served += replies.length
    }
    if (pipe.length === 0) return
    const results = await pipe.exec()
    for (const [err] of results ?? []) if (err) o.log.error('sending replies failed', err)
  }

  async function popLoop(conn: Redis): Promise<void> {
    while (!stopping) {
      let res: unknown
      try {
        res = await conn.call('BLMPOP', POP_TIMEOUT_S, 1, o.keys.requests, 'RIGHT', 'COUNT', batch)
      } catch (err) {
        if (stopping) break
        o.log.error('popping requests failed; retrying', err)
        await sleep(200)
        continue
      }
      if (!res) continue
      try {
        await handle((res as [string, string[]])[1])
      } catch (err) {
        o.log.error('handling a batch of requests failed', err)
      }
    }
  }

  const loops = conns.map(popLoop)
  return {
    stats,
    async stop() {
      if (stopping) return
      stopping = true
      await Promise.all(loops) // each ends within one pop timeout, with its batch answered
      await Promise.all(conns.map(closeRedis))
    },
  }
}
