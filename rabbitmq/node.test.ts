// How a RabbitMQ node and client end: address parsing, a connection that dies under them
// (through a TCP proxy we cut), and a queue deleted under a consumer.
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { UnavailableError, ValidationError } from '../core/errors.ts'
import { names, nodeAddress, parseAddress } from './address.ts'
import driver from './driver.ts'
import { amqpUrl, cleanUp, rawConnection, testNamespace } from './test-support.ts'

const url = amqpUrl()

/** A TCP proxy to the broker whose connections the test can cut. */
async function startProxy(target: URL): Promise<{ port: number; cut(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port || 5672) })
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => s.destroy())
    }
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  const cut = () => {
    for (const s of sockets) s.destroy()
  }
  return { port, cut, close: () => new Promise<void>((r) => (cut(), server.close(() => r()))) }
}

describe('rabbitmq addresses', () => {
  it('parses broker URL, vhost and namespace', () => {
    expect(parseAddress('amqp://u:p@h:5672/vh#lab1')).toEqual({ url: 'amqp://u:p@h:5672/vh', namespace: 'lab1' })
    expect(parseAddress('amqp://h').namespace).toBe('mwlab')
    expect(() => parseAddress('http://h#x')).toThrow(ValidationError)
    expect(() => parseAddress('amqp://h#bad ns')).toThrow(ValidationError)
    // A worker follows its master's namespace even when the CLI passes its default one.
    expect(nodeAddress({ master: 'amqp://h:1#lab2', namespace: 'mwlab' }, 'worker')).toEqual({ url: 'amqp://h:1', namespace: 'lab2' })
    expect(nodeAddress({ broker: 'amqp://b', namespace: 'x' }, 'single')).toEqual({ url: 'amqp://b', namespace: 'x' })
    expect(names('lab1')).toMatchObject({ requests: 'lab1.requests', jobs: 'lab1.jobs', dead: 'lab1.dead', dlx: 'lab1.dlx', trending: 'lab1.trending' })
  })
})

describe('rabbitmq node and client lifecycle', () => {
  let cleanup: (() => Promise<void>) | undefined
  afterEach(async () => {
    await cleanup?.()
    cleanup = undefined
  })

  it('resolves closed() with an Error and fails client calls when the connection dies', async () => {
    const ns = testNamespace('cut')
    const target = new URL(url)
    const proxy = await startProxy(target)
    const viaProxy = `${target.protocol}//${target.username}:${target.password}@127.0.0.1:${proxy.port}${target.pathname}`
    const node = await driver.serve('single', { broker: viaProxy, namespace: ns })
    const client = await driver.connect({ server: node.address, timeoutMs: 20_000 })
    cleanup = async () => {
      await client.close()
      await node.close()
      await proxy.close()
      await cleanUp(url, ns)
    }
    expect(await client.moderate('fine')).toEqual({ text: 'fine', hits: 0 })
    const pending = client.moderate('slow', { ioMillis: 3000 }).catch((e: unknown) => e)
    await new Promise((r) => setTimeout(r, 200))
    proxy.cut()
    const err = await node.closed()
    expect(err).toBeInstanceOf(UnavailableError)
    expect(await pending).toBeInstanceOf(UnavailableError)
    await expect(client.productStats('B000000001')).rejects.toBeInstanceOf(UnavailableError)
  })

  it('ends the node with an Error when its queue is deleted under it, and close() stays idempotent', async () => {
    const ns = testNamespace('del')
    const node = await driver.serve('single', { broker: url, namespace: ns })
    const raw = await rawConnection(url)
    cleanup = async () => {
      await raw.close()
      await cleanUp(url, ns)
    }
    const ch = await raw.createChannel()
    await ch.deleteQueue(names(ns).requests)
    const err = await node.closed()
    expect(err).toBeInstanceOf(Error)
    expect(String(err?.message)).toContain('requests')
    await node.close()
    await node.close()
  })

  it('closed() resolves undefined after close(), and connecting to a dead broker is UnavailableError', async () => {
    const ns = testNamespace('ok')
    const node = await driver.serve('single', { broker: url, namespace: ns })
    cleanup = () => cleanUp(url, ns)
    await node.close()
    expect(await node.closed()).toBeUndefined()
    await expect(driver.connect({ server: 'amqp://guest:guest@127.0.0.1:1#x' })).rejects.toBeInstanceOf(UnavailableError)
    await expect(driver.serve('single', { broker: 'amqp://guest:guest@127.0.0.1:1', namespace: ns })).rejects.toBeInstanceOf(UnavailableError)
  })
})

describe('rabbitmq client without a queue', () => {
  it('fails a call at once with UnavailableError when its queue was deleted (mandatory publish returned)', async () => {
    const ns = testNamespace('gone')
    const node = await driver.serve('single', { broker: url, namespace: ns })
    const client = await driver.connect({ server: node.address, timeoutMs: 20_000 })
    const raw = await rawConnection(url)
    try {
      await node.close()
      const ch = await raw.createChannel()
      await ch.deleteQueue(names(ns).jobs)
      const t0 = Date.now()
      await expect(client.moderate('x')).rejects.toBeInstanceOf(UnavailableError)
      expect(Date.now() - t0).toBeLessThan(15_000)
    } finally {
      await client.close()
      await raw.close()
      await cleanUp(url, ns)
    }
  })
})

describe('rabbitmq acks', () => {
  it('acks every job of mixed duration exactly once: nothing returns to the queue on close', async () => {
    const ns = testNamespace('acks')
    const node = await driver.serve('single', { broker: url, namespace: ns })
    const client = await driver.connect({ server: node.address, timeoutMs: 30_000 })
    const raw = await rawConnection(url)
    try {
      // Slow jobs interleaved with fast ones: acks complete out of delivery order.
      const jobs = Array.from({ length: 2000 }, (_, i) => client.moderate(`m${i} moron`, i % 40 === 0 ? { ioMillis: 300 } : undefined))
      const results = await Promise.all(jobs)
      expect(results.every((r, i) => r.text === `m${i} CENSORED`)).toBe(true)
      const died = await Promise.race([node.closed(), new Promise((r) => setTimeout(() => r('alive'), 100))])
      expect(died, 'the consumer channel survived (no unknown-tag ack)').toBe('alive')
      await node.close()
      const ch = await raw.createChannel()
      expect((await ch.checkQueue(names(ns).jobs)).messageCount).toBe(0)
    } finally {
      await client.close()
      await node.close()
      await raw.close()
      await cleanUp(url, ns)
    }
  })
})
