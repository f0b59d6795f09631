// The RabbitMQ client: one connection, one confirm channel. Replies come back over direct
// reply-to (`amq.rabbitmq.reply-to`, no reply queue to declare) and are matched by
// correlation id. Jobs are persistent and confirmed through per-message callbacks (the
// broker batches its acks), so no call waits on a round trip of its own.
import type { ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib'
import { randomBytes } from 'node:crypto'
import type { ClientOptions, ReviewClient } from '../core/contract.ts'
import { clientFromTransport, type CallContext, type Transport } from '../core/client.ts'
import { TooLargeError, UnavailableError } from '../core/errors.ts'
import { PendingCalls } from '../core/pending-calls.ts'
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

export interface RabbitClient extends ReviewClient {
  /** Replies that arrived for a call already answered (a job redelivered after a worker died). */
  readonly duplicates: number
  /** Replies that arrived after their call timed out or was cancelled. */
  readonly lateReplies: number
  /** Calls answered by a node that got the message redelivered (its first consumer died). */
  readonly redelivered: number
}

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
      duplicates: { get: () => t.pending.counters.duplicates, enumerable: true },
      lateReplies: { get: () => t.pending.counters.late, enumerable: true },
      redelivered: { get: () => t.redelivered, enumerable: true },
    }) as RabbitClient
  } catch (err) {
    await conn.close().catch((e: unknown) => log.error('closing after a failed setup', e))
    throw err instanceof UnavailableError ? err : new UnavailableError('RabbitMQ client setup failed', { cause: err })
  }
}

class AmqpTransport implements Transport {
  redelivered = 0
  readonly pending = new PendingCalls()
  private readonly prefix = randomBytes(6).toString('hex') + '.'
  private seq = 0
  private broken: UnavailableError | undefined
  private drained: Promise<unknown> | undefined
  private connClosed = false
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
      this.pending.fail(String(m.properties.correlationId), new UnavailableError(why))
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
    const reply = this.pending.wait(correlationId, ctx)
    let more: boolean
    try {
      more = this.publish(op, body, correlationId, ctx)
    } catch (err) {
      this.pending.fail(correlationId, new UnavailableError('publish failed', { cause: err }))
      return reply
    }
    if (!more) this.drained ??= new Promise<void>((r) => (this.ch.once('drain', r), this.ch.once('close', r)))
    return reply
  }

  /** False when the socket buffer is full (wait for 'drain' before the next). */
  private publish(op: OperationName, body: Buffer, correlationId: string, ctx: CallContext): boolean {
    const common = { mandatory: true, replyTo: REPLY_TO, correlationId, messageId: ctx.requestId, contentType: 'application/json' }
    if (op === 'moderate') {
      return this.ch.publish('', this.n.jobs, body, { ...common, persistent: true }, (err) => {
        if (err) this.pending.fail(correlationId, new UnavailableError('RabbitMQ did not confirm the job', { cause: err }))
      })
    }
    // A request nobody picks up before the caller's deadline expires in the queue, so a
    // late master does not apply a submit its caller already gave up on.
    return this.ch.publish('', this.n.requests, body, { ...common, expiration: String(Math.max(1, ctx.deadline - Date.now())) })
  }

  onReply(msg: ConsumeMessage | null): void {
    if (!msg) {
      this.fail(new UnavailableError('reply consumer cancelled by the broker'))
      return
    }
    const id = String(msg.properties.correlationId)
    const r = decodeReply(msg.content)
    const delivered = r.ok ? this.pending.settle(id, r.result) : this.pending.settle(id, undefined, r.error)
    if (delivered && msg.properties.headers?.[REDELIVERED_HEADER]) this.redelivered++
  }

  subscribe(signal: AbortSignal) {
    if (this.broken) throw this.broken
    return subscribeTrending(this.conn, this.n.trending, signal, this.log)
  }

  async close(): Promise<void> {
    this.fail(new UnavailableError('client is closed'))
    if (!this.connClosed) await this.conn.close()
  }

  /**
   * The connection is gone or the client closes: every waiting call fails now rather than
   * at its deadline, and the pending calls' sweeper stops (nothing reconnects).
   */
  private fail(err: UnavailableError): void {
    if (this.broken) return
    this.broken = err
    this.pending.close(err)
  }
}
