// Redis as a local process: Debian's redis-server on mwlab's own port, bound to 127.0.0.1,
// no persistence (a lab broker holds only what a run puts there), detached so it outlives
// `mwlab brokers up`.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { isAlive, notStartedDetail, portInUse, requireBinary, spawnDetached, tail, terminate, waitUntil } from './proc.ts'
import { readBrokerState, writeBrokerState } from './state.ts'
import { BrokerUnavailableError, type BrokerContext, type BrokerStatus, type LocalBroker } from './types.ts'

export const REDIS_HOW_TO_GET = 'apt-get install redis-server, or set REDIS_URL, or docker compose up redis'

export interface RedisOptions {
  /** Default env MWLAB_REDIS_PORT, else 16379 (not 6379, so a system Redis is never touched). */
  port?: number
  readyTimeoutMs?: number
}

export function createRedisBroker(opts: RedisOptions = {}): LocalBroker {
  const port = opts.port ?? Number(process.env.MWLAB_REDIS_PORT ?? 16379)
  const readyTimeoutMs = opts.readyTimeoutMs ?? 30_000

  async function status(ctx: BrokerContext): Promise<BrokerStatus> {
    const rec = readBrokerState(ctx.runDir, 'redis')
    if (!rec) return { name: 'redis', url: urlOf(port), running: false, external: false, detail: await notStartedDetail(port, 'REDIS_URL', 'not running') }
    const alive = rec.pids.filter((p) => isAlive(p, 'redis-server'))
    if (alive.length === 0) return { name: 'redis', url: rec.url, running: false, external: false, detail: `stale: pid ${rec.pids.join(',')} gone` }
    const pong = await ping(rec.url)
    return { name: 'redis', url: rec.url, running: pong, external: false, pids: alive, detail: pong ? undefined : 'process up, PING unanswered' }
  }

  async function up(ctx: BrokerContext): Promise<BrokerStatus> {
    const current = await status(ctx)
    if (current.running) return current
    if (current.pids?.length) {
      // Our process, still booting (another `up` started it a moment ago): wait for it.
      await waitReady(current.url, { pid: current.pids[0]! }, join(ctx.runDir, 'redis', 'redis.log'), ctx, readyTimeoutMs)
      return status(ctx)
    }
    const bin = requireBinary('redis', 'redis-server', REDIS_HOW_TO_GET)
    if (await portInUse(port)) {
      throw new BrokerUnavailableError('redis', `port ${port} is taken by another process; set MWLAB_REDIS_PORT to a free port, or REDIS_URL to use that server`)
    }
    const dir = join(ctx.runDir, 'redis')
    mkdirSync(dir, { recursive: true })
    const conf = join(dir, 'redis.conf')
    const logFile = join(dir, 'redis.log')
    writeFileSync(conf, redisConf(port, dir, logFile))
    ctx.log(`redis: starting ${bin} on 127.0.0.1:${port} (log ${logFile})`)
    const started = spawnDetached(bin, [conf], { cwd: dir, env: process.env, logFile })
    const url = urlOf(port)
    writeBrokerState(ctx.runDir, 'redis', { url, pids: [started.pid], ports: [port], startedAt: new Date().toISOString(), extra: { conf } })
    try {
      await waitReady(url, started, logFile, ctx, readyTimeoutMs)
    } catch (err) {
      await down(ctx) // leave no half-started server behind
      throw err
    }
    ctx.log(`redis: ready at ${url}`)
    return status(ctx)
  }

  async function down(ctx: BrokerContext): Promise<void> {
    const rec = readBrokerState(ctx.runDir, 'redis')
    if (!rec) return
    const alive = rec.pids.filter((p) => isAlive(p, 'redis-server'))
    if (alive.length) {
      ctx.log(`redis: stopping pid ${alive.join(',')}`)
      await terminate(alive, 10_000, ctx.log)
    }
    writeBrokerState(ctx.runDir, 'redis', undefined)
  }

  return { name: 'redis', envVar: 'REDIS_URL', up, down, status }
}

export const redisBroker = createRedisBroker()

function urlOf(port: number): string {
  return `redis://127.0.0.1:${port}`
}

function redisConf(port: number, dir: string, logFile: string): string {
  return [
    `port ${port}`,
    'bind 127.0.0.1',
    'protected-mode yes',
    'daemonize no',
    `dir ${JSON.stringify(dir)}`,
    `logfile ${JSON.stringify(logFile)}`,
    'save ""',
    'appendonly no',
    '',
  ].join('\n')
}

async function waitReady(url: string, started: { pid: number; exit?: unknown }, logFile: string, ctx: BrokerContext, timeoutMs: number) {
  await waitUntil(
    async () => {
      if (started.exit || !isAlive(started.pid)) {
        throw new BrokerUnavailableError('redis', `redis-server exited during startup; last log lines:\n${tail(logFile)}`)
      }
      return ping(url)
    },
    {
      timeoutMs,
      onTimeout: () => new BrokerUnavailableError('redis', `redis-server did not answer PING within ${timeoutMs} ms; last log lines:\n${tail(logFile)}`),
    },
  )
}

/** One PING on a fresh connection that neither retries nor queues. */
export async function ping(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000, enableOfflineQueue: false })
  client.on('error', () => {}) // a refused connection is the answer "not ready", reported by the caller
  try {
    await client.connect()
    return (await client.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    client.disconnect()
  }
}
