// The gRPC batch mode (ModerateStream): many moderate calls on one bidirectional stream
// give the same answers and the same typed errors as unary calls, a bad call does not end
// the stream for the others, and a node that goes away fails the waiting calls instead of
// leaving them hanging.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientFromTransport } from '../core/client.ts'
import type { ReviewClient, RunningNode } from '../core/contract.ts'
import { UnavailableError, ValidationError } from '../core/errors.ts'
import { createLogger } from '../core/log.ts'
import { ReviewService } from '../core/service.ts'
import { GrpcTransport } from './client-transport.ts'
import driver from './driver.ts'
import { ModerateStreamServer } from './moderate-stream.ts'
import { mwlab } from './proto.ts'
import { reviewHandlers } from './review-handlers.ts'
import { bindServer, newServer } from './server.ts'
import { SubscriberHub } from './subscribers.ts'

describe('grpc moderate stream (client batch mode)', () => {
  let node: RunningNode
  let unary: ReviewClient
  let streamed: ReviewClient
  let unchecked: ReviewClient

  beforeAll(async () => {
    node = await driver.serve('single', { port: 0 })
    unary = await driver.connect({ server: node.address })
    streamed = await driver.connect({ server: node.address, batch: true })
    unchecked = clientFromTransport(await GrpcTransport.open({ server: node.address, precheck: false, batch: true }))
  })
  afterAll(async () => {
    await Promise.all([unary?.close(), streamed?.close(), unchecked?.close()])
    await node?.close()
  })

  it('answers 500 concurrent calls exactly as the unary call does', async () => {
    const texts = Array.from({ length: 500 }, (_, i) => `call ${i}: ${i % 3 === 0 ? 'what an idiot' : 'fine'} product`)
    const [viaStream, viaUnary] = await Promise.all([Promise.all(texts.map((t) => streamed.moderate(t))), Promise.all(texts.map((t) => unary.moderate(t)))])
    expect(viaStream).toEqual(viaUnary)
    expect(viaStream.filter((m) => m.hits === 1)).toHaveLength(167)
  })

  it('an invalid call gets the validation error naming its field; the stream keeps serving the others', async () => {
    const bad = unchecked.moderate('x'.repeat(5000))
    const good = unchecked.moderate('stupid')
    const err = await bad.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ValidationError)
    expect((err as ValidationError).field).toBe('text')
    expect(await good).toEqual({ text: 'CENSORED', hits: 1 })
    expect(await unchecked.moderate('scam')).toEqual({ text: 'CENSORED', hits: 1 })
  })

  it('a node closing gracefully answers what it received and ends the stream without waiting for the client', async () => {
    const gone = await driver.serve('single', { port: 0 })
    const c = await driver.connect({ server: gone.address, batch: true, timeoutMs: 20_000 })
    try {
      expect(await c.moderate('warm')).toEqual({ text: 'warm', hits: 0 })
      const waiting = Array.from({ length: 20 }, (_, i) => c.moderate(`slow ${i}`, { cpuMicros: 0, ioMillis: 500 }))
      await new Promise((r) => setTimeout(r, 100))
      const started = Date.now()
      await gone.close()
      // Well under the 10 s the server would otherwise wait for the client to end the stream.
      expect(Date.now() - started).toBeLessThan(5000)
      expect((await Promise.all(waiting)).map((m) => m.text)).toEqual(Array.from({ length: 20 }, (_, i) => `slow ${i}`))
    } finally {
      await c.close()
    }
  })

  it('calls waiting on a stream the server drops fail as UNAVAILABLE instead of hanging', async () => {
    const log = createLogger('grpc test')
    const server = newServer()
    const service = new ReviewService()
    server.addService(mwlab.ReviewService.service, reviewHandlers({ service, subscribe: new SubscriberHub(log).handle, moderateStream: new ModerateStreamServer(service, log).handle, log }))
    const bound = await bindServer(server, '127.0.0.1', 0, log)
    const c = await driver.connect({ server: bound.address, batch: true, timeoutMs: 20_000 })
    try {
      expect(await c.moderate('warm')).toEqual({ text: 'warm', hits: 0 })
      const waiting = Array.from({ length: 20 }, (_, i) => c.moderate(`slow ${i}`, { cpuMicros: 0, ioMillis: 3000 }).catch((e: unknown) => e))
      await new Promise((r) => setTimeout(r, 100))
      server.forceShutdown()
      for (const o of await Promise.all(waiting)) expect(o).toBeInstanceOf(UnavailableError)
    } finally {
      await c.close()
    }
  })
})
