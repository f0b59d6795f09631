// The Redis middleware: request list + per-client reply list, a reliable list work queue,
// PUBLISH/SUBSCRIBE for broadcasts. See node.ts (servers) and transport.ts (client).
//
// Keys of namespace <ns> (address redis://host:port#<ns>):
//   <ns>:requests            store operations, LPUSHed by clients, popped in batches by the owner
//   <ns>:jobs                moderate jobs; workers move them (Lua) into the hash <ns>:processing:<workerId>
//   <ns>:reply:<clientId>    a client's replies (expire 60 s after the last one)
//   <ns>:worker:<id>         worker heartbeat (SET PX 3 x heartbeatMs); <ns>:workers lists ids
//   <ns>:dead                poison messages as JSON {raw, reason, at}, capped
//   <ns>:owner               lock of the node owning the store; <ns>:trending the broadcast channel
// Guarantees: jobs are delivered at least once and answered once (the reaper returns a
// dead worker's jobs; a returned job is answered by whichever copy finishes first).
// NOT guaranteed: requests to the store owner survive its death (the store dies with it;
// calls then time out), or strict FIFO across workers.
import type { ClientOptions, Driver, ReviewClient } from '../core/contract.ts'
import { clientFromTransport } from '../core/client.ts'
import { createLogger } from '../core/log.ts'
import { parseAddress } from './keys.ts'
import { dropNamespace } from './namespace.ts'
import { serveRedis } from './node.ts'
import { openTransport } from './transport.ts'

/** A ReviewClient that also says how many replies arrived twice (redelivered jobs) or after their call gave up. */
export interface RedisReviewClient extends ReviewClient {
  readonly duplicates: number
  readonly lateReplies: number
}

export async function connectRedis(opts: ClientOptions): Promise<RedisReviewClient> {
  const t = await openTransport(opts.server, createLogger('redis client'))
  const client = clientFromTransport(t, { timeoutMs: opts.timeoutMs })
  return Object.defineProperties(client, {
    duplicates: { get: () => t.counters.duplicates, enumerable: true },
    lateReplies: { get: () => t.counters.late, enumerable: true },
  }) as RedisReviewClient
}

const driver: Driver = {
  name: 'redis',
  serve: serveRedis,
  connect: connectRedis,
  dropNamespace,
  brokerOf: (address) => parseAddress(address).url,
}
export default driver
