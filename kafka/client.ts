// The client side: requests go to `<ns>.requests`, moderate jobs to `<ns>.jobs`, and
// replies come back on one partition of `<ns>.replies` that this client reads alone (its
// own one-member group, positioned at the end before the first request goes out), keyed by
// the client id and matched by correlation id. A reply that arrives twice (a job answered
// again after a rebalance) is dropped and counted in `stats.duplicates`.
// The reply offset is committed by the client, once a second (kafka/reply-offset.ts).
import { randomInt, randomUUID } from 'node:crypto'
import type { Consumer, KafkaMessage, Message } from 'kafkajs'
import { type CallContext, type Transport, clientFromTransport } from '../core/client.ts'
import type { ClientOptions, ReviewClient } from '../core/contract.ts'
import { PendingCalls, type ReplyCounters } from '../core/pending-calls.ts'
import { errorFromWire, UnavailableError, type WireError } from '../core/errors.ts'
import { createLogger } from '../core/log.ts'
import type { OperationName } from '../core/schemas.ts'
import { parseAddress } from './address.ts'
import { BatchProducer } from './batch-producer.ts'
import { decodeReply, encode, type Envelope } from './codec.ts'
import { PartitionPicker } from './partition-picker.ts'
import { commitReplyOffset, type ReplyOffset } from './reply-offset.ts'
import { consumerConfig, makeKafka, toUnavailable } from './connection.ts'
import { endOffsets, fixedAssigner, seekTo, waitForJoin } from './group.ts'
import { subscribeTrending, type Subscription } from './subscribe.ts'
import { topicsOf } from './topics.ts'

export type KafkaReviewClient = ReviewClient & { readonly stats: ReplyCounters }

const log = createLogger('kafka client')

export async function connectKafka(opts: ClientOptions): Promise<KafkaReviewClient> {
  const addr = parseAddress(opts.server)
  const t = topicsOf(addr.namespace)
  const clientId = randomUUID()
  const kafka = makeKafka(addr.brokers, `mwlab-client-${clientId.slice(0, 8)}`)
  const admin = kafka.admin()
  const group = `${addr.namespace}.client.${clientId}`
  const pending = new PendingCalls()
  let seq = 0
  let consumer: Consumer | undefined
  let producer: BatchProducer | undefined
  let replyOffset: ReplyOffset | undefined
  const subscriptions = new Set<Subscription>()

  const onReply = (m: KafkaMessage) => {
    if (m.key?.toString() !== clientId) return // another client that picked the same partition
    const d = decodeReply(m.value)
    if (!d.ok) return log.warn(`undecodable reply dropped: ${d.reason}`)
    const r = d.value
    if ('error' in r) pending.settle(r.id, undefined, errorFromWire(r.error as WireError))
    else pending.settle(r.id, r.ok)
  }

  async function cleanup(): Promise<void> {
    await replyOffset?.stop()
    await consumer?.disconnect().catch((err: unknown) => log.warn('reply consumer disconnect failed', err))
    await producer?.close().catch((err: unknown) => log.warn('producer close failed', err))
    // The group only ever had us; leaving it behind would litter the broker.
    if (consumer) await admin.deleteGroups([group]).catch(() => undefined)
    await admin.disconnect().catch(() => undefined)
  }

  try {
    try {
      await admin.connect()
    } catch (err) {
      throw toUnavailable(err, `Kafka at ${addr.brokers.join(',')} is unreachable`)
    }
    const meta = await admin.fetchTopicMetadata({ topics: [t.replies, t.requests, t.jobs] }).catch((err: unknown) => {
      throw new UnavailableError(`no mwlab Kafka node has served namespace "${addr.namespace}" on ${addr.brokers.join(',')} (topics missing)`, { cause: err })
    })
    const partitionsOf = (topic: string) => meta.topics.find((x) => x.name === topic)!.partitions.length
    const partition = randomInt(partitionsOf(t.replies))
    const jobPartitions = new PartitionPicker(partitionsOf(t.jobs))
    const start = await endOffsets(admin, t.replies, [partition])
    consumer = kafka.consumer(consumerConfig(group, { partitionAssigners: [fixedAssigner(t.replies, [partition])] }))
    await consumer.connect()
    await consumer.subscribe({ topic: t.replies })
    const joined = waitForJoin(consumer, `reply consumer of ${t.replies}`)
    let read: ReplyOffset['read'] = () => {} // until the offset is tracked; it starts at `start`
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) onReply(m)
        const last = batch.messages.at(-1)
        if (last) read(last.offset)
      },
    })
    await joined
    seekTo(consumer, t.replies, start)
    replyOffset = commitReplyOffset(consumer, t.replies, partition, start[0].offset, log)
    read = replyOffset.read
    producer = await BatchProducer.connect(kafka)

    const prod = producer
    const transport: Transport = {
      call(op: OperationName, params: Record<string, unknown>, ctx: CallContext) {
        // Unique across clients (the client id) and calls (a counter): no random bytes per call.
        const id = `${clientId}.${(++seq).toString(36)}`
        const env: Envelope = { id, op, params, replyTo: t.replies, replyPartition: partition, client: clientId, deadline: ctx.deadline }
        const reply = pending.wait(id, ctx)
        let topic: string
        let message: Message
        if (op === 'moderate') {
          // Jobs go where this client has the fewest waiting (kafka/partition-picker.ts).
          const p = jobPartitions.pick()
          const done = () => jobPartitions.done(p)
          reply.then(done, done) // also when the caller gives up: PendingCalls ends the promise then
          topic = t.jobs
          message = { partition: p, value: encode(env) }
        } else {
          topic = t.requests
          message = { key: clientId, value: encode(env) } // one client's requests stay on one partition, in order
        }
        prod.send(topic, message).catch((err: unknown) => pending.fail(id, toUnavailable(err, `could not send ${op} to ${topic}`)))
        return reply
      },
      subscribe(signal) {
        const sub = subscribeTrending(kafka, admin, t.trending, signal)
        subscriptions.add(sub)
        signal.addEventListener('abort', () => void sub.stop().finally(() => subscriptions.delete(sub)), { once: true })
        return sub.updates
      },
      async close() {
        pending.close(new UnavailableError('client closed'))
        // Subscribers use the admin client to remove their groups: before it disconnects.
        await Promise.all([...subscriptions].map((s) => s.stop()))
        await cleanup()
      },
    }
    const client = clientFromTransport(transport, { timeoutMs: opts.timeoutMs }) as KafkaReviewClient
    Object.defineProperty(client, 'stats', { value: pending.counters, enumerable: true })
    return client
  } catch (err) {
    await cleanup()
    throw toUnavailable(err, 'kafka client could not connect')
  }
}

