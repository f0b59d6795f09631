// The RabbitMQ client: one connection, one confirm channel. Replies come back over direct
// reply-to (`amq.rabbitmq.reply-to`, no reply queue to declare) and are matched by
// correlation id. Jobs are persistent and confirmed through per-message callbacks (the
// broker batches its acks), so no call waits on a round trip of its own.
import type { ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib'
import { randomBytes } from 'node:crypto'
import type { ClientOptions, ReviewClient } from '../core/contract.ts'
import { clientFromTransport, type CallContext, type Transport } from '../core/client.ts'
import { TooLargeError, UnavailableError, type MwlabError } from '../core/errors.ts'
import { createLogger, type Logger } from '../core/log.ts'
import type { OperationName } from '../core/schemas.ts'
import { names, parseAddress, type Names } from './address.ts'
import { decodeReply, encodeRequest } from './codec.ts'
import { connectAmqp } from './connection.ts'
import { REDELIVERED_HEADER } from './consumer.ts'
import { subscribeTrending } from './subscription.ts'
import { assertTopology } from './topology.ts'

export const MAX_REQUEST_BYTES = 1 << 20
const REPLY_TO = 'amq.rabbitmq.reply-to'
const ANSWERED_CAP = 200_000

export interface RabbitClient extends ReviewClient {
  /** Replies that arrived for a call already answered (a job redelivered after a worker died). */
  readonly duplicates: number
  /** Replies that arrived after their call timed out or was cancelled. */
  readonly lateReplies: number
  /** Calls answered by a node that got the message redelivered (its first consumer died). */
  readonly redelivered: number
}

interface Pending {
  resolve(v: unknown): void
  reject(e: MwlabError): void
  /** core/client.ts has already rejected an abandoned call; its reply then counts as late. */
  ctx: CallContext
}

/** How often calls whose caller gave up are forgotten. */
const SWEEP_MS = 1000

export async function connectClient(opts: ClientOptions): Promise<RabbitClient> {
  const log = createLogger('rabbitmq client')
  const addr = parseAddress(opts.server)
  const conn = await connectAmqp(addr.url, log)
  try {
    const ch = await conn.createConfirmChannel()
    await assertTopology(ch, names(addr.namespace))
    const t = new AmqpTransport(conn, ch, names(addr.namespace), log)
    await ch.consume(REPLY_TO, (m) => t.onReply(m), { noAck: true })
    const client = clientFromTransport(t, { timeoutMs: opts.timeoutMs })
    return Object.defineProperties(client, {
      duplicates: { get: () => t.duplicates, enumerable: true },
      lateReplies: { get: () => t.lateReplies, enumerable: true },
      redelivered: { get: () => t.redelivered, enumerable: true },
    }) as RabbitClient
  } catch (err) {
    await conn.close().catch((e: unknown) => log.error('closing after a failed setup', e))
    throw err instanceof UnavailableError ? err : new UnavailableError('RabbitMQ client setup failed', { cause: err })
  }
}

class AmqpTransport implements Transport {
  duplicates = 0
  lateReplies = 0
  redelivered = 0
  private readonly pending = new Map<string, Pending>()
  /** correlation id -> answered (true) or abandoned (false), to tell duplicates from late replies */
  private readonly settled = new Map<string, boolean>()
  private readonly prefix = randomBytes(6).toString('hex') + '.'
  private seq = 0
  private broken: UnavailableError | undefined
  private drained: Promise<unknown> | undefined
  private connClosed = false
  private readonly sweeper = setInterval(() => this.sweep(), SWEEP_MS).unref()
  constructor(
    private readonly conn: ChannelModel,
    private readonly ch: ConfirmChannel,
    private readonly n: Names,
    private readonly log: Logger,
  ) {
    conn.on('error', (err) => this.log.error('connection error', err))
    conn.on('close', (err?: Error) => {
      this.connClosed = true
      this.fail(new UnavailableError('connection to RabbitMQ closed', { cause: err }))
    })
    ch.on('error', (err) => this.log.error('channel error', err))
    ch.on('close', () => this.fail(new UnavailableError('RabbitMQ channel closed')))
    ch.on('drain', () => (this.drained = undefined))
    // mandatory publishes come back when no queue takes them (deleted or expired namespace).
    ch.on('return', (m: ConsumeMessage) => {
      const { routingKey, replyText } = m.fields as unknown as { routingKey: string; replyText?: string }
      const why = `RabbitMQ returned the message: ${routingKey} has no queue (${replyText ?? 'unroutable'})`
      this.settle(String(m.properties.correlationId), undefined, new UnavailableError(why))
    })
    conn.on('blocked', (reason: string) => this.log.warn(`RabbitMQ blocks publishing: ${reason}`))
    conn.on('unblocked', () => this.log.info('RabbitMQ unblocked publishing'))
  }

  async call(op: OperationName, params: Record<string, unknown>, ctx: CallContext): Promise<unknown> {
    if (this.broken) throw this.broken
    const body = encodeRequest(op, params)
    if (body.length > MAX_REQUEST_BYTES) throw new TooLargeError(`request is ${body.length} bytes; the limit is ${MAX_REQUEST_BYTES}`)
    if (this.drained) await this.drained // the socket buffer is full: wait rather than grow memory without bound
    if (this.broken) throw this.broken
    const correlationId = this.prefix + (++this.seq).toString(36)
    return new Promise((resolve, reject) => {
      this.pending.set(correlationId, { resolve, reject, ctx })
      let more: boolean
      try {
        if (op === 'moderate') {
          more = this.ch.publish(
            '',
            this.n.jobs,
            body,
            { persistent: true, mandatory: true, replyTo: REPLY_TO, correlationId, messageId: ctx.requestId, contentType: 'application/json' },
            (err) => {
              if (err) this.settle(correlationId, undefined, new UnavailableError('RabbitMQ did not confirm the job', { cause: err }))
            },
          )
        } else {
          // A request nobody picks up before the caller's deadline expires in the queue,
          // so a late master does not apply a submit its caller already gave up on.
          const ttl = Math.max(1, ctx.deadline - Date.now())
          more = this.ch.publish('', this.n.requests, body, {
            mandatory: true,
            replyTo: REPLY_TO,
            correlationId,
            messageId: ctx.requestId,
            contentType: 'application/json',
            expiration: String(ttl),
          })
        }
      } catch (err) {
        this.settle(correlationId, undefined, new UnavailableError('publish failed', { cause: err }))
        return
      }
      if (!more) this.drained ??= new Promise<void>((r) => (this.ch.once('drain', r), this.ch.once('close', r)))
    })
  }

  onReply(msg: ConsumeMessage | null): void {
    if (!msg) {
      this.fail(new UnavailableError('reply consumer cancelled by the broker'))
      return
    }
    const id = msg.properties.correlationId as string | undefined
    if (id !== undefined && this.pending.get(id)?.ctx.abandoned) this.forget(id)
    if (id === undefined || !this.pending.has(id)) {
      const answered = id === undefined ? undefined : this.settled.get(id)
      if (answered === true) this.duplicates++
      else this.lateReplies++
      return
    }
    if (msg.properties.headers?.[REDELIVERED_HEADER]) this.redelivered++
    const r = decodeReply(msg.content)
    if (r.ok) this.settle(id, r.result)
    else this.settle(id, undefined, r.error)
  }

  subscribe(signal: AbortSignal) {
    if (this.broken) throw this.broken
    return subscribeTrending(this.conn, this.n.trending, signal, this.log)
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper)
    this.fail(new UnavailableError('client is closed'))
    if (!this.connClosed) await this.conn.close()
  }

  private settle(id: string, value: unknown, error?: MwlabError): void {
    const p = this.pending.get(id)
    if (!p) return
    this.pending.delete(id)
    if (p.ctx.abandoned) return this.remember(id, false)
    this.remember(id, true)
    if (error) p.reject(error)
    else p.resolve(value)
  }

  private forget(id: string): void {
    if (this.pending.delete(id)) this.remember(id, false)
  }

  private sweep(): void {
    for (const [id, p] of this.pending) if (p.ctx.abandoned) this.forget(id)
  }

  private remember(id: string, answered: boolean): void {
    this.settled.set(id, answered)
    if (this.settled.size > ANSWERED_CAP) this.settled.delete(this.settled.keys().next().value as string)
  }

  /** The connection is gone: every waiting call fails now rather than at its deadline. */
  private fail(err: UnavailableError): void {
    if (this.broken) return
    this.broken = err
    for (const [id, p] of this.pending) {
      this.pending.delete(id)
      p.reject(err)
    }
  }
}
