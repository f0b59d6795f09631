// Server side of Subscribe. The node that owns the store fans each broadcast out to every
// open stream; a worker relays its master's stream, so a client may subscribe anywhere.
import * as grpc from '@grpc/grpc-js'
import type { Logger } from '../core/log.ts'
import type { TrendingUpdate } from '../core/schemas.ts'
import type { ReviewServiceClient } from './generated/mwlab/ReviewService.ts'
import type { SubscribeRequest__Output } from './generated/mwlab/SubscribeRequest.ts'
import type { TrendingUpdate as TrendingUpdateMsg } from './generated/mwlab/TrendingUpdate.ts'
import { fromStatus, toStatus } from './status.ts'

type SubscribeCall = grpc.ServerWritableStream<SubscribeRequest__Output, TrendingUpdateMsg>

export class SubscriberHub {
  private readonly streams = new Set<SubscribeCall>()

  constructor(private readonly log: Logger) {}

  readonly handle = (call: SubscribeCall): void => {
    this.streams.add(call)
    const drop = () => this.streams.delete(call)
    call.on('cancelled', drop)
    call.on('close', drop)
    call.on('error', (err) => {
      this.log.warn('subscriber stream failed', err)
      drop()
    })
  }

  publish(u: TrendingUpdate): void {
    for (const s of this.streams) {
      // A broadcast is only worth reading while fresh: never queue up behind a slow reader.
      if (!s.writableNeedDrain) s.write(u)
    }
  }

  /** Ends every stream with OK, so clients see a clean end and the server can shut down. */
  endAll(): void {
    for (const s of this.streams) s.end()
    this.streams.clear()
  }
}

/** A worker's Subscribe: the master's stream, cancelled when the subscriber goes away. */
export class SubscribeRelay {
  private readonly open = new Set<{ call: SubscribeCall; upstream: grpc.ClientReadableStream<TrendingUpdateMsg> }>()

  constructor(
    private readonly master: ReviewServiceClient,
    private readonly log: Logger,
  ) {}

  readonly handle = (call: SubscribeCall): void => {
    const upstream = this.master.Subscribe({}, { parent: call, propagate_flags: grpc.propagate.DEFAULTS })
    const entry = { call, upstream }
    this.open.add(entry)
    upstream.on('data', (u: TrendingUpdateMsg) => {
      if (!call.writableNeedDrain) call.write(u)
    })
    upstream.on('end', () => {
      this.open.delete(entry)
      call.end()
    })
    upstream.on('error', (err: grpc.ServiceError) => {
      this.open.delete(entry)
      if (call.cancelled || call.writableEnded) return
      call.emit('error', toStatus(fromStatus(err), this.log))
    })
    call.on('cancelled', () => upstream.cancel())
  }

  /** Ends every relayed stream (the worker is stopping). */
  endAll(): void {
    for (const { call, upstream } of this.open) {
      call.end()
      upstream.cancel()
    }
    this.open.clear()
  }
}
