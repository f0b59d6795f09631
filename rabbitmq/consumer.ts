// The server side of one queue: decode each delivery, run it, publish the reply to its
// `replyTo`, then ack. Poison (undecodable) messages are republished to the dead-letter
// exchange with an `x-mwlab-reason` header and acked once that publish is confirmed, so
// they are never retried forever and the consumer carries on.
import type { Channel, ConfirmChannel, ConsumeMessage } from 'amqplib'
import { RecentMap } from '../core/bounded.ts'
import { errorForReply, ValidationError } from '../core/errors.ts'
import type { Logger } from '../core/log.ts'
import { atMost } from '../core/time-limit.ts'
import { AckBatcher } from './ack-batcher.ts'
import { decodeRequest, encodeError, encodeResult, UndecodableError, type Envelope } from './codec.ts'

export const REASON_HEADER = 'x-mwlab-reason'
export const QUEUE_HEADER = 'x-mwlab-queue'
/** Set on a reply to a redelivered message, so clients can count recoveries. */
export const REDELIVERED_HEADER = 'x-mwlab-redelivered'

export interface ConsumerOptions {
  ch: Channel
  /** Confirm channel for dead-letter publishes (shared by a node's consumers). */
  deadCh: ConfirmChannel
  queue: string
  dlx: string
  log: Logger
  handle(env: Envelope): Promise<unknown>
  /** The broker cancelled the consumer (its queue was deleted): the node cannot serve any more. */
  onCancelled(reason: Error): void
  /** Remember results by request id, so a redelivered job is answered, not run again. */
  dedupCap?: number
}

export interface ConsumerStats {
  served: number
  poisoned: number
  /** deliveries answered from the processed-id cache instead of running again */
  deduplicated: number
}

export class QueueConsumer {
  readonly stats: ConsumerStats = { served: 0, poisoned: 0, deduplicated: 0 }
  private tag: string | undefined
  private inFlight = 0
  private idle: (() => void) | undefined
  private readonly processed: RecentMap<string, Buffer>
  private readonly acks: AckBatcher

  constructor(private readonly o: ConsumerOptions) {
    this.processed = new RecentMap(o.dedupCap ?? 0)
    this.acks = new AckBatcher(o.ch, (err) => o.log.error(`acks on ${o.queue} not sent; those messages will be redelivered`, err))
  }

  async start(): Promise<void> {
    const r = await this.o.ch.consume(this.o.queue, (msg) => {
      if (msg) void this.onMessage(msg)
      else this.o.onCancelled(new Error(`consumer of ${this.o.queue} was cancelled by the broker (queue deleted?)`))
    })
    this.tag = r.consumerTag
  }

  /** Stops taking deliveries, waits (at most graceMs) for the ones in hand to be answered and acked, closes the channel. */
  async stop(graceMs: number): Promise<boolean> {
    if (this.tag) {
      const tag = this.tag
      this.tag = undefined
      await this.o.ch.cancel(tag)
    }
    if (this.inFlight === 0) {
      this.acks.flush()
      await this.o.ch.close()
      return true
    }
    const drained = (await atMost(new Promise<void>((resolve) => (this.idle = resolve)), graceMs)) !== undefined
    this.acks.flush()
    if (!drained) this.o.log.warn(`${this.inFlight} deliveries of ${this.o.queue} unfinished after ${graceMs} ms; they return to the queue`)
    // Closing the channel (not just the connection) puts its close frame behind the acks
    // in the same channel stream; a connection close could overtake them.
    await this.o.ch.close()
    return drained
  }

  private async onMessage(msg: ConsumeMessage): Promise<void> {
    this.acks.track(msg)
    this.inFlight++
    try {
      await this.process(msg)
    } catch (err) {
      // Only a broken channel gets here; the unacked message returns to the queue.
      this.o.log.error(`failed to answer a delivery of ${this.o.queue}`, err)
    } finally {
      if (--this.inFlight === 0 && this.idle) this.idle()
    }
  }

  private async process(msg: ConsumeMessage): Promise<void> {
    let env: Envelope
    try {
      env = decodeRequest(msg.content)
    } catch (err) {
      if (!(err instanceof UndecodableError)) throw err
      await this.poison(msg, err.message)
      return
    }
    const id = dedupId(msg, env)
    const cached = id === undefined ? undefined : this.processed.get(id)
    if (cached) {
      this.stats.deduplicated++
      this.reply(msg, cached)
      return
    }
    let body: Buffer
    try {
      body = encodeResult(await this.o.handle(env))
    } catch (err) {
      body = encodeError(errorForReply(err, this.o.log, env.op))
    }
    if (id !== undefined && this.o.dedupCap) this.processed.set(id, body)
    this.stats.served++
    this.reply(msg, body)
  }

  /** Publishes the reply, then acks (batched, later in this turn): same channel, so the broker routes the reply before it forgets the job. */
  private reply(msg: ConsumeMessage, body: Buffer): void {
    const { replyTo, correlationId } = msg.properties
    const headers = msg.fields.redelivered ? { [REDELIVERED_HEADER]: true } : undefined
    if (replyTo) this.o.ch.publish('', replyTo, body, { correlationId, contentType: 'application/json', headers })
    this.acks.ack(msg)
  }

  /** Resolves once the dead-letter copy is confirmed and the original settled (close() waits for it). */
  private poison(msg: ConsumeMessage, reason: string): Promise<void> {
    this.stats.poisoned++
    this.o.log.warn(`poison message on ${this.o.queue} dead-lettered: ${reason}`)
    const p = msg.properties
    const headers = { ...(p.headers ?? {}), [REASON_HEADER]: reason, [QUEUE_HEADER]: this.o.queue }
    // Tell a waiting caller at once rather than leave it to its deadline.
    if (p.replyTo) this.o.ch.publish('', p.replyTo, encodeError(new ValidationError('body', reason)), { correlationId: p.correlationId })
    return new Promise((resolve) => {
      this.o.deadCh.publish(
        this.o.dlx,
        '',
        msg.content,
        { headers, persistent: true, correlationId: p.correlationId, messageId: p.messageId, contentType: p.contentType },
        (err) => {
          try {
            if (err) {
              this.o.log.error(`dead-letter publish not confirmed; rejecting without requeue`, err)
              this.acks.nack(msg, false)
            } else this.acks.ack(msg)
          } catch (e) {
            this.o.log.error(`could not settle a poison message of ${this.o.queue}`, e)
          }
          resolve()
        },
      )
    })
  }
}

function dedupId(msg: ConsumeMessage, env: Envelope): string | undefined {
  const rid = env.params.requestId
  if (typeof rid === 'string' && rid.length > 0) return rid
  const mid = msg.properties.messageId as unknown
  return typeof mid === 'string' && mid.length > 0 ? mid : undefined
}
