// Declares the queues and exchanges of one namespace. Both nodes and clients assert them
// (idempotent, same arguments everywhere), so a job published before any worker exists
// waits in its queue instead of being dropped by the default exchange.
import amqp, { type Channel } from 'amqplib'
import { names, type Names } from './address.ts'

/** The dead queue keeps the newest poison messages only, so a broken producer cannot fill the broker. */
export const DEAD_MAX_LENGTH = 10_000

/**
 * Queues of a namespace nobody has consumed from or declared for this long are removed by
 * the broker (`x-expires`), so the unique namespaces of test runs do not pile up.
 */
export const IDLE_EXPIRY_MS = { durable: 24 * 3_600_000, requests: 30 * 60_000 }

export async function assertTopology(ch: Channel, n: Names): Promise<void> {
  // Auto-delete: the exchange goes when the dead queue expires and unbinds it.
  await ch.assertExchange(n.dlx, 'fanout', { durable: true, autoDelete: true })
  await ch.assertQueue(n.dead, {
    durable: true,
    arguments: { 'x-queue-type': 'classic', 'x-max-length': DEAD_MAX_LENGTH, 'x-expires': IDLE_EXPIRY_MS.durable },
  })
  await ch.bindQueue(n.dead, n.dlx, '')
  // Classic, not quorum: on RabbitMQ 3.10 single-node quorum queues lost confirmed
  // messages after a broker kill in trials here; classic durable queues kept them.
  await ch.assertQueue(n.jobs, {
    durable: true,
    arguments: { 'x-queue-type': 'classic', 'x-dead-letter-exchange': n.dlx, 'x-expires': IDLE_EXPIRY_MS.durable },
  })
  // Requests expire with the caller's deadline, and an expired request is nobody's
  // poison, so this queue has no dead-letter exchange; poison is republished explicitly.
  await ch.assertQueue(n.requests, { durable: false, arguments: { 'x-queue-type': 'classic', 'x-expires': IDLE_EXPIRY_MS.requests } })
  await ch.assertExchange(n.trending, 'fanout', { durable: false })
}

/** Removes every queue and exchange of a namespace (tests, `lab` clean-up). */
export async function deleteTopology(url: string, ns: string): Promise<void> {
  const conn = await amqp.connect(url)
  try {
    const ch = await conn.createChannel()
    const n = names(ns)
    for (const q of [n.requests, n.jobs, n.dead]) await ch.deleteQueue(q)
    for (const x of [n.dlx, n.trending]) await ch.deleteExchange(x)
    await ch.close()
  } finally {
    await conn.close()
  }
}
