// subscribe(): a channel of its own with an exclusive, auto-delete, server-named queue
// bound to the trending fanout exchange; the queue goes away with the subscription.
import type { ChannelModel } from 'amqplib'
import { Channel } from '../core/channel.ts'
import { UnavailableError } from '../core/errors.ts'
import type { Logger } from '../core/log.ts'
import { TrendingUpdate } from '../core/schemas.ts'

export function subscribeTrending(conn: ChannelModel, exchange: string, signal: AbortSignal, log: Logger): AsyncIterable<TrendingUpdate> {
  const out = new Channel<TrendingUpdate>()
  if (signal.aborted) {
    out.end()
    return out
  }
  void (async () => {
    let ch
    try {
      ch = await conn.createChannel()
    } catch (err) {
      out.end(new UnavailableError('cannot open a subscription channel', { cause: err }))
      return
    }
    let ending = false
    const stop = () => {
      ending = true
      out.end()
      ch.close().catch((err: unknown) => log.debug('subscription channel already closed', err))
    }
    signal.addEventListener('abort', stop, { once: true })
    ch.on('error', (err) => log.error('subscription channel error', err))
    ch.on('close', () => {
      signal.removeEventListener('abort', stop)
      if (!ending) out.end(new UnavailableError('subscription channel closed by RabbitMQ'))
    })
    try {
      await ch.assertExchange(exchange, 'fanout', { durable: false })
      const { queue } = await ch.assertQueue('', { exclusive: true, autoDelete: true, durable: false })
      await ch.bindQueue(queue, exchange, '')
      await ch.consume(
        queue,
        (msg) => {
          if (!msg) return out.end(new UnavailableError('subscription cancelled by RabbitMQ'))
          try {
            out.push(TrendingUpdate.parse(JSON.parse(msg.content.toString('utf8'))))
          } catch (err) {
            log.warn('dropped a malformed trending update', err)
          }
        },
        { noAck: true },
      )
    } catch (err) {
      if (!ending) out.end(new UnavailableError('subscription setup failed', { cause: err }))
    }
  })()
  return out
}
