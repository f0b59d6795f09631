// Opens an AMQP connection the one way clients and nodes both need it: no-delay socket,
// frames of one event-loop turn written together (MWLAB_AMQP_CORK=0 turns that off), and an
// unreachable broker reported as UnavailableError.
import amqp, { type ChannelModel } from 'amqplib'
import { UnavailableError } from '../core/errors.ts'
import type { Logger } from '../core/log.ts'
import { redact, SOCKET_OPTIONS } from './address.ts'
import { coalesceWrites } from './coalesce.ts'

export async function connectAmqp(url: string, log: Logger): Promise<ChannelModel> {
  let conn: ChannelModel
  try {
    conn = await amqp.connect(url, SOCKET_OPTIONS)
  } catch (err) {
    throw new UnavailableError(`cannot connect to RabbitMQ at ${redact(url)}`, { cause: err })
  }
  if (process.env.MWLAB_AMQP_CORK !== '0') coalesceWrites(conn, log)
  return conn
}
