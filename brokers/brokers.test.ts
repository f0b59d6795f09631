// Real Redis and RabbitMQ through the local broker lifecycle, on a temp run dir and ports
// of their own, so they never disturb the brokers global setup (or a user) started.
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import amqp from 'amqplib'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { brokerUrl, down, status, up } from './index.ts'
import { requireBinary } from './proc.ts'
import { createRabbitBroker } from './rabbitmq.ts'
import { createRedisBroker } from './redis.ts'
import { readState } from './state.ts'
import { BrokerUnavailableError, type BrokerContext } from './types.ts'

const REDIS_PORT = 26479
const AMQP_PORT = 15779
const DIST_PORT = 25779

const runDir = mkdtempSync(join(tmpdir(), 'mwlab-brokers-test-'))
const ctx: BrokerContext = { runDir, kafkaNodes: 1, log: () => {} }
const redis = createRedisBroker({ port: REDIS_PORT })
const rabbitmq = createRabbitBroker({ port: AMQP_PORT, distPort: DIST_PORT, nodeName: 'mwlabtest@localhost' })
const brokers = { redis, rabbitmq }

/** kill(0) succeeds for a zombie too, so poll until the exited child is reaped. */
async function expectGone(pid: number): Promise<void> {
  await vi.waitFor(() => expect(alive(pid)).toBe(false), { timeout: 5000, interval: 100 })
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

afterEach(() => {
  vi.unstubAllEnvs()
})

afterAll(async () => {
  // Safety net when a test failed half way; stops only what this file started.
  await down({ only: ['redis', 'rabbitmq'], runDir, brokers, log: () => {} })
  rmSync(runDir, { recursive: true, force: true })
})

describe('local redis', () => {
  it('starts once, answers PING, is found by brokerUrl, and stops', async () => {
    vi.stubEnv('REDIS_URL', '') // a CI REDIS_URL would make index.ts treat redis as external
    const [first] = await up({ only: ['redis'], runDir, brokers, log: () => {} })
    expect(first).toMatchObject({ name: 'redis', url: `redis://127.0.0.1:${REDIS_PORT}`, running: true, external: false })
    expect(first!.pids).toHaveLength(1)

    const again = await redis.up(ctx)
    expect(again.url).toBe(first!.url)
    expect(again.pids).toEqual(first!.pids)
    expect((await redis.status(ctx)).running).toBe(true)
    expect(brokerUrl('redis', { runDir })).toBe(first!.url)

    const client = new Redis(first!.url, { maxRetriesPerRequest: 1 })
    try {
      expect(await client.ping()).toBe('PONG')
      await client.set('mwlab:brokers-test', 'ok')
      expect(await client.get('mwlab:brokers-test')).toBe('ok')
      expect(await client.config('GET', 'save')).toEqual(['save', '']) // no persistence
    } finally {
      client.disconnect()
    }

    await down({ only: ['redis'], runDir, brokers, log: () => {} })
    const after = await redis.status(ctx)
    expect(after.running).toBe(false)
    await expectGone(first!.pids![0]!)
    expect(readState(runDir).redis).toBeUndefined()
    expect(() => brokerUrl('redis', { runDir })).toThrow(/mwlab brokers up.*REDIS_URL/)
  })

  it('says which binary is missing and how to get it', async () => {
    vi.stubEnv('PATH', mkdtempSync(join(runDir, 'empty-path-')))
    const err = await redis.up(ctx).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BrokerUnavailableError)
    expect((err as Error).message).toBe('redis-server not found: apt-get install redis-server, or set REDIS_URL, or docker compose up redis')
    expect(() => requireBinary('kafka', 'no-such-broker-binary', 'install it')).toThrow('no-such-broker-binary not found: install it')
  })

  it('refuses a port another process holds', async () => {
    const squatter: Server = createServer().listen(REDIS_PORT + 1, '127.0.0.1')
    await new Promise((r) => squatter.once('listening', r))
    try {
      const err = await createRedisBroker({ port: REDIS_PORT + 1 }).up(ctx).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(BrokerUnavailableError)
      expect((err as Error).message).toMatch(`port ${REDIS_PORT + 1} is taken`)
      // status says who may hold it and how to use that server instead
      const st = await createRedisBroker({ port: REDIS_PORT + 1 }).status(ctx)
      expect(st.detail).toBe(`not started here; port ${REDIS_PORT + 1} is taken (another checkout's broker? set REDIS_URL to use it)`)
    } finally {
      squatter.close()
    }
  })

  it('uses REDIS_URL as an external broker and never starts one', async () => {
    vi.stubEnv('REDIS_URL', 'redis://127.0.0.1:1')
    expect(brokerUrl('redis', { runDir })).toBe('redis://127.0.0.1:1')
    const [s] = await status({ only: ['redis'], runDir, brokers, log: () => {} })
    expect(s).toMatchObject({ external: true, running: false })
    await expect(up({ only: ['redis'], runDir, brokers, log: () => {} })).rejects.toThrow(/REDIS_URL=redis:\/\/127.0.0.1:1 is set but/)
    expect(readState(runDir).redis).toBeUndefined()
  })
})

// RabbitMQ boots in seconds, so the file starts it once and the tests share it.
describe('local rabbitmq', () => {
  let url = ''
  let pid = 0

  beforeAll(async () => {
    vi.stubEnv('AMQP_URL', '')
    const [s] = await up({ only: ['rabbitmq'], runDir, brokers, log: () => {} })
    vi.unstubAllEnvs()
    expect(s).toMatchObject({ name: 'rabbitmq', url: `amqp://guest:guest@127.0.0.1:${AMQP_PORT}`, running: true, external: false })
    url = s!.url
    pid = s!.pids![0]!
  })

  it('is idempotent: a second up finds the running node', async () => {
    const again = await rabbitmq.up(ctx)
    expect(again).toMatchObject({ url, running: true, pids: [pid] })
    expect(again.detail).toContain('mwlabtest@localhost') // its own node, not the system's rabbit@
    expect(brokerUrl('rabbitmq', { runDir })).toBe(url)
  })

  it('carries messages over AMQP', async () => {
    const conn = await amqp.connect(url)
    try {
      const ch = await conn.createChannel()
      const q = await ch.assertQueue('', { exclusive: true })
      ch.sendToQueue(q.queue, Buffer.from('hello'))
      await vi.waitFor(async () => {
        const msg = await ch.get(q.queue, { noAck: true })
        expect(msg && msg.content.toString()).toBe('hello')
      })
    } finally {
      await conn.close()
    }
  })

  it('stops on down, and only its own process', async () => {
    await down({ only: ['rabbitmq'], runDir, brokers, log: () => {} })
    expect((await rabbitmq.status(ctx)).running).toBe(false)
    await expectGone(pid)
    expect(readState(runDir).rabbitmq).toBeUndefined()
    const conn = await amqp.connect(url, { timeout: 2000 }).catch((e: unknown) => e)
    expect(conn).toBeInstanceOf(Error)
  })
})
