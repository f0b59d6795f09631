// The client side. Calls are LPUSHed as envelopes: moderate onto the job queue, the store
// operations onto the owner's request list. One blocking connection pops this client's
// reply list in batches and settles calls by id (core/pending-calls.ts counts duplicate
// and late replies).
import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import { setTimeout as sleep } from 'node:timers/promises'
import { Channel } from '../core/channel.ts'
import type { CallContext, Transport } from '../core/client.ts'
import { PendingCalls, type ReplyCounters } from '../core/pending-calls.ts'
import { errorFromWire, TooLargeError, UnavailableError } from '../core/errors.ts'
import type { Logger } from '../core/log.ts'
import { TrendingUpdate, type OperationName } from '../core/schemas.ts'
import { brokerError, closeRedis, openRedis, redactUrl } from './connection.ts'
import { keysOf, parseAddress } from './keys.ts'
import { encodeMessage, MAX_MESSAGE_BYTES, type Reply } from './wire.ts'

const REPLY_BATCH = 1000

export interface RedisTransport extends Transport {
  readonly counters: ReplyCounters
}

interface Outgoing {
  id: string
  msg: Buffer
}

export async function openTransport(address: string, log: Logger): Promise<RedisTransport> {
  const { url, namespace } = parseAddress(address)
  const keys = keysOf(namespace)
  const clientId = randomUUID()
  const replyKey = keys.reply(clientId)
  const pending = new PendingCalls({ rememberAnswered: 100_000 })
  let seq = 0
  const channels = new Set<Channel<TrendingUpdate>>()
  let sub: Promise<Redis> | undefined
  let closed = false

  const cmd = await openRedis(url, { name: 'mwlab-client', failFast: true, autoPipeline: true, log })
  let blk: Redis
  try {
    // Without a store owner nobody would ever answer: say so now rather than time out later.
    if ((await cmd.exists(keys.owner)) === 0) {
      throw new UnavailableError(`no mwlab node serves namespace ${namespace} on ${redactUrl(url)}`)
    }
    blk = await openRedis(url, { name: 'mwlab-client-replies', log })
  } catch (err) {
    await closeRedis(cmd)
    throw err
  }

  function settle(raw: string): void {
    let r: Reply
    try {
      r = JSON.parse(raw) as Reply
    } catch (err) {
      log.error('undecodable reply', err)
      return
    }
    if (r.ok) pending.settle(r.id, r.result)
    else pending.settle(r.id, undefined, errorFromWire(r.error))
  }

  const replyLoop = (async () => {
    while (!closed) {
      let res: unknown
      try {
        res = await blk.call('BLMPOP', 0, 1, replyKey, 'RIGHT', 'COUNT', REPLY_BATCH)
      } catch (err) {
        if (closed) break
        log.error('reading replies failed; retrying', err)
        await sleep(200)
        continue
      }
      if (res) for (const raw of (res as [string, string[]])[1]) settle(raw)
    }
  })()

  // Calls made in the same tick leave as one LPUSH per list: far fewer commands for
  // ioredis and Redis than one per call.
  const outbox = new Map<string, Outgoing[]>()
  let flushScheduled = false
  function send(list: string, o: Outgoing): void {
    const q = outbox.get(list)
    if (q) q.push(o)
    else outbox.set(list, [o])
    if (!flushScheduled) {
      flushScheduled = true
      setImmediate(flush)
    }
  }
  function flush(): void {
    flushScheduled = false
    for (const [list, batch] of outbox) {
      cmd.lpush(list, ...batch.map((o) => o.msg)).catch((err) => {
        const e = brokerError(err)
        for (const o of batch) pending.fail(o.id, e)
      })
    }
    outbox.clear()
  }

  function subscriber(): Promise<Redis> {
    sub ??= openRedis(url, { name: 'mwlab-client-sub', log }).then(async (s) => {
      s.on('message', (_channel: string, raw: string) => {
        let u: TrendingUpdate
        try {
          u = TrendingUpdate.parse(JSON.parse(raw))
        } catch (err) {
          log.error('undecodable trending update', err)
          return
        }
        for (const ch of channels) ch.push(u)
      })
      await s.subscribe(keys.trending)
      return s
    })
    return sub
  }

  return {
    counters: pending.counters,
    call(op: OperationName, params: Record<string, unknown>, ctx: CallContext): Promise<unknown> {
      if (closed) return Promise.reject(new UnavailableError('client is closed'))
      // Unique across clients (the client id) and calls (a counter): no random bytes per call.
      const id = `${clientId}.${(++seq).toString(36)}`
      const msg = encodeMessage({ id, op, params, replyTo: clientId, deadline: ctx.deadline })
      if (msg.length > MAX_MESSAGE_BYTES) return Promise.reject(new TooLargeError(`message of ${msg.length} bytes exceeds ${MAX_MESSAGE_BYTES}`))
      const reply = pending.wait(id, ctx)
      send(op === 'moderate' ? keys.jobs : keys.requests, { id, msg })
      return reply
    },
    subscribe(signal: AbortSignal): AsyncIterable<TrendingUpdate> {
      const ch = new Channel<TrendingUpdate>()
      if (closed || signal.aborted) {
        ch.end()
        return ch
      }
      channels.add(ch)
      signal.addEventListener('abort', () => {
        channels.delete(ch)
        ch.end()
      }, { once: true })
      subscriber().catch((err) => {
        channels.delete(ch)
        ch.end(err)
      })
      return ch
    },
    async close() {
      if (closed) return
      closed = true
      pending.close(new UnavailableError('client closed'))
      for (const ch of channels) ch.end()
      channels.clear()
      blk.disconnect()
      await replyLoop
      // Nobody reads this client's replies any more; they would only wait for their TTL.
      await cmd.del(replyKey).catch((err) => log.warn('deleting the reply list failed', err))
      const s = await sub?.catch(() => undefined)
      await Promise.all([closeRedis(cmd), s && closeRedis(s)])
    },
  }
}
