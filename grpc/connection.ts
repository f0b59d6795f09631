// One client-side connection to one node: a single HTTP/2 channel that every call to that
// node shares (multiplexed streams, no per-call connections), with typed stubs on it.
import * as grpc from '@grpc/grpc-js'
import { Channel } from '../core/channel.ts'
import type { CallContext } from '../core/client.ts'
import type { WorkerInfo } from '../core/contract.ts'
import type { OperationName, TrendingUpdate } from '../core/schemas.ts'
import type { ClusterClient } from './generated/mwlab/Cluster.ts'
import type { ReviewServiceClient } from './generated/mwlab/ReviewService.ts'
import type { TrendingUpdate__Output } from './generated/mwlab/TrendingUpdate.ts'
import { CLIENT_OPTIONS, mwlab } from './proto.ts'
import { fromStatus } from './status.ts'
import { ModerateStreamer } from './moderate-stream.ts'
import { callUnary } from './wire.ts'

export class NodeConnection {
  private readonly channel: grpc.Channel
  readonly reviews: ReviewServiceClient
  readonly cluster: ClusterClient
  /** Set in batch mode: moderate calls then share one bidirectional stream. */
  private readonly streamer: ModerateStreamer | undefined

  constructor(
    readonly address: string,
    batch = false,
  ) {
    const creds = grpc.credentials.createInsecure()
    this.channel = new grpc.Channel(address, creds, CLIENT_OPTIONS)
    this.reviews = new mwlab.ReviewService(address, creds, { channelOverride: this.channel })
    this.cluster = new mwlab.Cluster(address, creds, { channelOverride: this.channel })
    this.streamer = batch ? new ModerateStreamer(this.reviews) : undefined
  }

  call(op: OperationName, params: Record<string, unknown>, ctx: CallContext): Promise<unknown> {
    if (this.streamer && op === 'moderate') return this.streamer.call(params, ctx)
    return callUnary(this.reviews, op, params, { deadline: ctx.deadline }, ctx)
  }

  /** The master's live workers; undefined when the node has no registry (a single node or a worker). */
  workers(deadline: number): Promise<WorkerInfo[] | undefined> {
    return new Promise((resolve, reject) =>
      this.cluster.Workers({}, { deadline }, (err, reply) => {
        if (err?.code === grpc.status.UNIMPLEMENTED) resolve(undefined)
        else if (err) reject(fromStatus(err))
        else resolve(reply!.workers.map((w) => ({ id: w.id, address: w.address || undefined, pid: w.pid, lastSeen: w.lastSeen })))
      }),
    )
  }

  /** Server-streaming Subscribe as an AsyncIterable; the call is cancelled on abort or when the reader stops. */
  subscribe(signal: AbortSignal): AsyncIterable<TrendingUpdate> {
    const ch = new Channel<TrendingUpdate>()
    const call = this.reviews.Subscribe({})
    const cancel = () => call.cancel()
    call.on('data', (u: TrendingUpdate__Output) => ch.push(u as TrendingUpdate))
    call.on('end', () => ch.end())
    call.on('error', (err: grpc.ServiceError) => {
      signal.removeEventListener('abort', cancel)
      // Our own cancellation ends the stream cleanly; anything else is the reader's error.
      ch.end(signal.aborted || ch.ended ? undefined : fromStatus(err))
    })
    if (signal.aborted) cancel()
    else signal.addEventListener('abort', cancel, { once: true })
    ch.whenReaderLeaves(cancel)
    return ch
  }

  close(): void {
    this.streamer?.close()
    this.channel.close()
  }
}
