// ModerateStream, the gRPC batch mode: many moderate calls on one bidirectional stream,
// matched by seq, instead of one HTTP/2 stream (headers, trailers, stream set-up) per call.
// Each request still runs through ReviewService.call, so validation and its field-naming
// errors are those of the unary Moderate; an error goes back in that call's reply and the
// stream stays open for the others.
import type * as grpc from '@grpc/grpc-js'
import { errorFromWire, errorForReply, UnavailableError, type ErrorCode } from '../core/errors.ts'
import type { CallContext } from '../core/client.ts'
import type { Logger } from '../core/log.ts'
import { PendingCalls } from '../core/pending-calls.ts'
import type { ReviewService } from '../core/service.ts'
import type { CallError } from './generated/mwlab/CallError.ts'
import type { Moderated } from './generated/mwlab/Moderated.ts'
import type { ModerateStreamReply, ModerateStreamReply__Output } from './generated/mwlab/ModerateStreamReply.ts'
import type { ModerateStreamRequest, ModerateStreamRequest__Output } from './generated/mwlab/ModerateStreamRequest.ts'
import type { ReviewServiceClient } from './generated/mwlab/ReviewService.ts'
import { fromStatus } from './status.ts'
import { presentFields } from './wire.ts'

function callError(err: unknown, log: Logger): CallError {
  const w = errorForReply(err, log, 'moderate').toWire()
  return { code: w.code, message: w.message, ...(w.field !== undefined && { field: w.field }) }
}

/** The server side of ModerateStream, one per node. */
export class ModerateStreamServer {
  private readonly drains = new Set<() => void>()
  private draining = false

  constructor(
    private readonly service: ReviewService,
    private readonly log: Logger,
  ) {}

  /** Answers every request on a stream; ends the stream once the client has ended it, or on drain(). */
  readonly handle: grpc.handleBidiStreamingCall<ModerateStreamRequest__Output, ModerateStreamReply> = (call) => {
    if (this.draining) {
      // Opened after drain(): nothing runs here any more; the client's calls fail over.
      call.end()
      return
    }
    let running = 0
    let ending = false
    const endIfDone = () => {
      if (!ending || running > 0) return
      this.drains.delete(drain)
      if (!call.cancelled) call.end()
    }
    const drain = () => {
      ending = true
      endIfDone()
    }
    this.drains.add(drain)
    call.on('data', (req: ModerateStreamRequest__Output) => {
      const seq = req.seq
      if (this.draining) {
        // Stopping: not run here; UNAVAILABLE makes the client retry it on another node.
        call.write({ seq, error: { code: 'UNAVAILABLE', message: 'node is stopping' } })
        return
      }
      running++
      this.service.call('moderate', presentFields(req.request ?? {})).then(
        (result) => ({ seq, result: result as Moderated }),
        (err: unknown) => ({ seq, error: callError(err, this.log) }),
      ).then((reply: ModerateStreamReply) => {
        running--
        if (!call.cancelled) call.write(reply)
        endIfDone()
      })
    })
    call.on('end', drain)
    call.on('cancelled', () => this.drains.delete(drain))
    call.on('error', (err) => this.log.debug('moderate stream failed', err))
  }

  /**
   * Graceful stop: calls already received are answered, later ones are refused with
   * UNAVAILABLE, and each stream then ends, so the server's shutdown need not wait for
   * clients to end their streams.
   */
  drain(): void {
    this.draining = true
    for (const d of [...this.drains]) d()
  }
}

type ModerateStream = grpc.ClientDuplexStream<ModerateStreamRequest, ModerateStreamReply__Output>

/**
 * The client side: one stream per connection, opened on the first call and again after a
 * failure. When the stream fails, every call waiting on it fails with the stream's status
 * (UNAVAILABLE when the node is gone, so the balancer retries it elsewhere). A call whose
 * caller gave up is still answered by the server; its answer is dropped.
 */
export class ModerateStreamer {
  /** the open stream and the calls waiting on it (core/pending-calls.ts, keyed by seq) */
  private current: { stream: ModerateStream; pending: PendingCalls } | undefined
  private seq = 0
  private closed = false

  constructor(private readonly stub: ReviewServiceClient) {}

  call(params: Record<string, unknown>, ctx: CallContext): Promise<unknown> {
    if (this.closed) return Promise.reject(new UnavailableError('connection closed'))
    const { stream, pending } = this.current ?? this.open()
    const seq = ++this.seq
    const reply = pending.wait(String(seq), ctx)
    stream.write({ seq, request: params })
    return reply
  }

  private open(): { stream: ModerateStream; pending: PendingCalls } {
    const stream = this.stub.ModerateStream()
    // A stream never delivers a reply twice: no answered ids to remember.
    const pending = new PendingCalls({ rememberAnswered: 0 })
    const current = (this.current = { stream, pending })
    stream.on('data', (r: ModerateStreamReply__Output) => {
      if (r.error) pending.settle(String(r.seq), undefined, errorFromWire({ code: r.error.code as ErrorCode, message: r.error.message, field: r.error.field ?? undefined }))
      else pending.settle(String(r.seq), r.result)
    })
    // A stream that ended or broke (node gone, shut down, reset) left its waiting calls
    // unanswered: UNAVAILABLE, so a balancing client retries them on another node. Any
    // other status (e.g. INTERNAL) is the calls' own error, not a reason to try elsewhere.
    const fail = (err: unknown) => {
      if (this.current === current) this.current = undefined
      const status = fromStatus(err ?? new UnavailableError('stream ended'))
      const broken = err === undefined || status.code === 'UNAVAILABLE' || status.code === 'CANCELLED'
      pending.close(broken ? new UnavailableError(`the moderate stream ${err === undefined ? 'ended' : `failed (${status.message})`} with calls unanswered`, { cause: err }) : status)
    }
    stream.on('error', fail)
    stream.on('end', () => fail(undefined))
    return current
  }

  close(): void {
    this.closed = true
    this.current?.pending.close(new UnavailableError('connection closed'))
    this.current?.stream.cancel()
    this.current = undefined
  }
}
