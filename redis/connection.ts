// Opens ioredis connections and turns "cannot reach the broker" into UnavailableError.
// Each user gets separate connections for blocking pops, commands and pub/sub, because a
// blocked connection cannot carry anything else.
import { Redis, type RedisOptions } from 'ioredis'
import { UnavailableError } from '../core/errors.ts'
import { createLogger, type Logger } from '../core/log.ts'
import { atMost } from '../core/time-limit.ts'

const CONNECT_TIMEOUT_MS = 3000

export interface OpenOptions {
  /** connection name shown by CLIENT LIST; helps when reading a busy broker */
  name: string
  /** client side: fail calls after a few reconnect attempts instead of queueing them forever */
  failFast?: boolean
  /** batch commands issued in the same tick into one round trip */
  autoPipeline?: boolean
  log?: Logger
}

export async function openRedis(url: string, o: OpenOptions): Promise<Redis> {
  const log = o.log ?? createLogger('redis')
  const opts: RedisOptions = {
    lazyConnect: true,
    connectionName: o.name,
    connectTimeout: CONNECT_TIMEOUT_MS,
    enableAutoPipelining: o.autoPipeline ?? false,
    maxRetriesPerRequest: o.failFast ? 2 : 20,
    retryStrategy: (times) => Math.min(50 * times, 1000),
  }
  const redis = new Redis(url, opts)
  // ioredis reconnects by itself; errors are logged once per burst, not thrown at nobody.
  let lastLogged = 0
  redis.on('error', (err: Error) => {
    if (Date.now() - lastLogged < 5000) return
    lastLogged = Date.now()
    log.warn(`${o.name}: ${err.message}`)
  })
  try {
    await redis.connect()
  } catch (err) {
    redis.disconnect()
    throw new UnavailableError(`cannot reach redis at ${redactUrl(url)}`, { cause: err })
  }
  return redis
}

/** Closes politely, and hard if the broker does not answer (e.g. it is already gone). */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return
  try {
    await atMost(redis.quit(), 1000)
  } catch {
    // quit fails when the connection is already broken; disconnect below is all that is left to do
  }
  redis.disconnect()
}

/** Drops the password from a URL before it reaches a log or an error message. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@')
}

/** A failed Redis command as a typed error: the broker is the server here, so it is UNAVAILABLE. */
export function brokerError(err: unknown): UnavailableError {
  return new UnavailableError(`redis: ${(err as Error)?.message ?? String(err)}`, { cause: err })
}
