// Removes every key of a namespace (Driver.dropNamespace): harness runs use a fresh
// namespace each, and an interrupted run leaves its unanswered jobs in a list that never
// expires.
import { keysOf, parseAddress } from './keys.ts'
import { closeRedis, openRedis } from './connection.ts'

const SCAN_COUNT = 500

export async function dropNamespace(broker: string, namespace: string): Promise<void> {
  const { url } = parseAddress(broker)
  const redis = await openRedis(url, { name: 'mwlab-cleanup', failFast: true })
  try {
    const pattern = `${keysOf(namespace).prefix}*`
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT)
      if (keys.length) await redis.unlink(...keys)
      cursor = next
    } while (cursor !== '0')
  } finally {
    await closeRedis(redis)
  }
}
