// Every status-code case against a real gRPC server, each followed by a check that the
// server keeps serving: invalid fields, oversized messages, deadlines, unknown methods,
// handler failures, cancellation and an unreachable server, on the wire (raw typed stubs)
// and as the typed errors of core/errors.ts on the driver's client.
import * as grpc from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientFromTransport } from '../core/client.ts'
import type { ReviewClient, RunningNode } from '../core/contract.ts'
import { CancelledError, InternalError, MwlabError, TimeoutError, TooLargeError, UnavailableError, ValidationError } from '../core/errors.ts'
import { createLogger } from '../core/log.ts'
import type { ReviewInput } from '../core/schemas.ts'
import { LocalBackend, ReviewService } from '../core/service.ts'
import { GrpcTransport } from './client-transport.ts'
import driver from './driver.ts'
import type { ReviewServiceClient } from './generated/mwlab/ReviewService.ts'
import { FIELD_METADATA_KEY, MAX_REQUEST_BYTES, mwlab } from './proto.ts'
import { ModerateStreamServer } from './moderate-stream.ts'
import { reviewHandlers } from './review-handlers.ts'
import { bindServer, newServer, type BoundServer } from './server.ts'
import { SubscriberHub } from './subscribers.ts'

const ASIN = 'B0BADINPUT'
const valid = { productId: ASIN, reviewerId: 'r1', rating: 4, text: 'fine' }

/** A raw unary call on the typed stub, resolving to the status (OK or not). */
function rawCall(stub: ReviewServiceClient, method: 'SubmitReview' | 'ListReviews' | 'Moderate', req: object, deadlineMs = 5000) {
  return new Promise<{ code: grpc.status; details: string; field?: string; value?: unknown }>((resolve) => {
    const cb = (err: grpc.ServiceError | null, value?: unknown) =>
      resolve(
        err
          ? { code: err.code, details: err.details, field: err.metadata?.get(FIELD_METADATA_KEY)[0] as string | undefined }
          : { code: grpc.status.OK, details: 'OK', value },
      )
    const opts = { deadline: Date.now() + deadlineMs }
    if (method === 'SubmitReview') stub.SubmitReview(req, opts, cb)
    else if (method === 'ListReviews') stub.ListReviews(req, opts, cb)
    else stub.Moderate(req, opts, cb)
  })
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    (v) => {
      throw new Error(`expected a failure, got ${JSON.stringify(v)}`)
    },
    (e: unknown) => e,
  )
}

describe('grpc status codes (single node)', () => {
  let node: RunningNode
  let stub: ReviewServiceClient
  let client: ReviewClient
  /** Skips the client-side check, so the server's own validation and limits answer. */
  let unchecked: ReviewClient

  const stillServing = async () => {
    expect(await client.moderate('still here, idiot')).toEqual({ text: 'still here, CENSORED', hits: 1 })
    expect((await rawCall(stub, 'Moderate', { text: 'ok' })).code).toBe(grpc.status.OK)
  }

  beforeAll(async () => {
    node = await driver.serve('single', { port: 0 })
    stub = new mwlab.ReviewService(node.address, grpc.credentials.createInsecure())
    client = await driver.connect({ server: node.address })
    unchecked = clientFromTransport(await GrpcTransport.open({ server: node.address, precheck: false }))
  })
  afterAll(async () => {
    stub?.close()
    await client?.close()
    await unchecked?.close()
    await node?.close()
  })

  it('binds 127.0.0.1 on a free port', () => {
    expect(node.address).toMatch(/^127\.0\.0\.1:\d+$/)
    expect(node.address).not.toBe('127.0.0.1:0')
  })

  it('a missing productId is INVALID_ARGUMENT naming productId, not a silent ""', async () => {
    const { productId: _omitted, ...rest } = valid
    const s = await rawCall(stub, 'SubmitReview', rest)
    expect(s.code).toBe(grpc.status.INVALID_ARGUMENT)
    expect(s.details).toContain('productId')
    expect(s.field).toBe('productId')
    const l = await rawCall(stub, 'ListReviews', {})
    expect([l.code, l.field]).toEqual([grpc.status.INVALID_ARGUMENT, 'productId'])
    await stillServing()
  })

  it('rating 0 is rejected naming rating, not taken as "absent"', async () => {
    const s = await rawCall(stub, 'SubmitReview', { ...valid, rating: 0 })
    expect(s.code).toBe(grpc.status.INVALID_ARGUMENT)
    expect(s.details).toContain('rating')
    expect(s.field).toBe('rating')
    const t = await rawCall(stub, 'SubmitReview', { ...valid, text: 'x'.repeat(5000) })
    expect([t.code, t.field]).toEqual([grpc.status.INVALID_ARGUMENT, 'text'])
    const c = await rawCall(stub, 'Moderate', { text: 'hi', cost: { ioMillis: -1 } })
    expect([c.code, c.field]).toEqual([grpc.status.INVALID_ARGUMENT, 'cost.ioMillis'])
    expect((await client.productStats(ASIN)).count).toBe(0)
    await stillServing()
  })

  it('the client rebuilds a ValidationError with the field from the server', async () => {
    for (const [bad, field] of [
      [{ ...valid, rating: 0 }, 'rating'],
      [{ ...valid, productId: 'short' }, 'productId'],
      [{ ...valid, productId: undefined }, 'productId'],
    ] as const) {
      const err = await failure(unchecked.submitReview(bad as unknown as ReviewInput))
      expect(err).toBeInstanceOf(ValidationError)
      expect((err as ValidationError).field).toBe(field)
      expect((err as Error).message).toContain(field)
    }
    expect((await client.productStats(ASIN)).count).toBe(0)
    await stillServing()
  })

  it('the client rejects what protobuf would coerce (3.5 -> 3, "5" -> 5) instead of storing it', async () => {
    for (const rating of [3.5, '5']) {
      const err = await failure(client.submitReview({ ...valid, rating } as unknown as ReviewInput))
      expect(err).toBeInstanceOf(ValidationError)
      expect((err as ValidationError).field).toBe('rating')
    }
    const extra = await failure(client.submitReview({ ...valid, stars: 5 } as unknown as ReviewInput))
    expect((extra as ValidationError).field).toBe('stars')
    expect((await client.productStats(ASIN)).count).toBe(0)
  })

  it(`a request over ${MAX_REQUEST_BYTES} bytes is RESOURCE_EXHAUSTED / TooLargeError`, async () => {
    const big = 'x'.repeat(MAX_REQUEST_BYTES + 1024)
    const s = await rawCall(stub, 'Moderate', { text: big })
    expect(s.code).toBe(grpc.status.RESOURCE_EXHAUSTED)
    expect(await failure(unchecked.moderate(big))).toBeInstanceOf(TooLargeError)
    await stillServing()
  })

  it('an expired deadline is DEADLINE_EXCEEDED / TimeoutError', async () => {
    const s = await rawCall(stub, 'Moderate', { text: 'slow', cost: { ioMillis: 1500 } }, 200)
    expect(s.code).toBe(grpc.status.DEADLINE_EXCEEDED)
    expect(await failure(client.moderate('slow', { ioMillis: 1500 }, { timeoutMs: 200 }))).toBeInstanceOf(TimeoutError)
    await stillServing()
  })

  it('an aborted call is CancelledError', async () => {
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 50)
    expect(await failure(client.moderate('slow', { ioMillis: 1500 }, { signal: ac.signal }))).toBeInstanceOf(CancelledError)
    await stillServing()
  })

  it('a method not in the service is UNIMPLEMENTED', async () => {
    const generic = new grpc.Client(node.address, grpc.credentials.createInsecure())
    const identity = (b: Buffer) => b
    const err = await new Promise<grpc.ServiceError | null>((resolve) =>
      generic.makeUnaryRequest('/mwlab.ReviewService/DeleteEverything', identity, identity, Buffer.alloc(0), (e) => resolve(e)),
    )
    generic.close()
    expect(err?.code).toBe(grpc.status.UNIMPLEMENTED)
    await stillServing()
  })

  it('a single node has no Cluster service, so the client calls it directly', async () => {
    expect(await node.workers()).toEqual([])
    const cluster = new mwlab.Cluster(node.address, grpc.credentials.createInsecure())
    const code = await new Promise((resolve) => cluster.Workers({}, (e) => resolve(e?.code)))
    cluster.close()
    expect(code).toBe(grpc.status.UNIMPLEMENTED)
  })

  it('an unreachable server is UnavailableError, at connect and on a call after it went away', async () => {
    const gone = await driver.serve('single', { port: 0 })
    const c = await driver.connect({ server: gone.address })
    expect((await c.moderate('hi')).hits).toBe(0)
    await gone.close()
    expect(await failure(c.moderate('hi', undefined, { timeoutMs: 3000 }))).toBeInstanceOf(UnavailableError)
    await c.close()
    expect(await failure(driver.connect({ server: gone.address }))).toBeInstanceOf(UnavailableError)
  })
})

describe('grpc handler failure', () => {
  const SECRET = 'disk on fire at /var/lib/secret'
  let bound: BoundServer
  let client: ReviewClient

  beforeAll(async () => {
    const backend = new LocalBackend()
    backend.productStats = async () => {
      throw new Error(SECRET)
    }
    const log = createLogger('grpc test')
    const server = newServer()
    const service = new ReviewService({ backend })
    server.addService(mwlab.ReviewService.service, reviewHandlers({ service, subscribe: new SubscriberHub(log).handle, moderateStream: new ModerateStreamServer(service, log).handle, log }))
    bound = await bindServer(server, '127.0.0.1', 0, log)
    client = await driver.connect({ server: bound.address })
  })
  afterAll(async () => {
    await client?.close()
    await bound?.shutdown()
  })

  it('is INTERNAL without the cause or a stack on the wire, and the server keeps serving', async () => {
    const err = await failure(client.productStats(ASIN))
    expect(err).toBeInstanceOf(InternalError)
    expect((err as MwlabError).code).toBe('INTERNAL')
    expect((err as Error).message).not.toContain('disk on fire')
    expect((err as Error).message).not.toMatch(/\bat .*:\d+/)
    expect((await client.submitReview(valid)).productId).toBe(ASIN)
  })
})
