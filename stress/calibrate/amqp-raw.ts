// The raw amqplib baseline, with the durability the rabbitmq middleware pays for: the
// client publishes each request persistent to a durable queue on a confirm channel (a
// call fails if the broker nacks it), the echo server consumes with manual ack and a
// prefetch window and answers through direct reply-to (amq.rabbitmq.reply-to), matched by
// correlation id.
import { randomBytes } from 'node:crypto'
import amqp, { type ConsumeMessage } from 'amqplib'
import { UnavailableError } from '../../core/errors.ts'
import { createLogger } from '../../core/log.ts'
import { echoOfText } from '../operations.ts'
import { payloadPool, POOL_SIZE } from '../payload.ts'
import type { RawClientFactory, RawServer } from './raw.ts'

const log = createLogger('calibrate')
const PREFETCH = 500
const REPLY_TO = 'amq.rabbitmq.reply-to'

function split(address: string): { url: string; queue: string } {
  const i = address.lastIndexOf('#')
  return { url: address.slice(0, i), queue: address.slice(i + 1) }
}

export async function startAmqpEcho(url: string): Promise<RawServer> {
  const queue = `mwlab-raw-${randomBytes(4).toString('hex')}`
  const conn = await amqp.connect(url)
  const version = conn.connection.serverProperties.version
  const ch = await conn.createChannel()
  await ch.assertQueue(queue, { durable: true })
  await ch.prefetch(PREFETCH)
  await ch.consume(queue, (m: ConsumeMessage | null) => {
    if (!m) return
    ch.sendToQueue(m.properties.replyTo as string, m.content, { correlationId: m.properties.correlationId as string })
    ch.ack(m)
  })
  return {
    address: `${url}#${queue}`,
    serverVersion: version ? `RabbitMQ ${version}` : undefined,
    async close() {
      await ch.deleteQueue(queue)
      await conn.close()
    },
  }
}

export const connectRaw: RawClientFactory = async (address, workload, seed) => {
  const { url, queue } = split(address)
  const conn = await amqp.connect(url)
  conn.on('error', (err: Error) => log.error('amqp raw client: connection error', err))
  const ch = await conn.createConfirmChannel()
  const pending = new Map<string, (echo: string | undefined) => void>()
  await ch.consume(
    REPLY_TO,
    (m: ConsumeMessage | null) => {
      if (!m) return
      const id = m.properties.correlationId as string
      const settle = pending.get(id)
      if (!settle) return
      pending.delete(id)
      settle(echoOfText(m.content.toString('utf8')) ?? '')
    },
    { noAck: true },
  )
  const texts = payloadPool(workload.payload, seed).inputs.map((i) => i.text)
  let n = 0
  const caller = (id: string) =>
    new Promise<string | undefined>((resolve, reject) => {
      pending.set(id, resolve)
      const body = Buffer.from(`[${id}] ${texts[n++ & (POOL_SIZE - 1)]}`)
      ch.sendToQueue(queue, body, { persistent: true, replyTo: REPLY_TO, correlationId: id }, (err) => {
        if (!err) return
        pending.delete(id)
        reject(new UnavailableError(`broker refused the request: ${String(err)}`))
      })
    })
  return {
    caller,
    async close() {
      await conn.close()
    },
  }
}
