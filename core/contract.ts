// The contract every middleware implements. Harnesses, CLI and tests depend only on this
// file, never on a middleware folder's insides.
//
// NOT in the contract: how a middleware encodes messages, which queues/topics/ports it
// uses, how it balances or retries. Those are each folder's own business, as long as the
// conformance suite (test/conformance.ts) passes over every topology.
import type { CostInput, Moderated, ProductStats, Review, ReviewInput, TrendingEntry, TrendingUpdate } from './schemas.ts'

export type MiddlewareName = 'rpc' | 'grpc' | 'redis' | 'rabbitmq' | 'kafka'
export const MIDDLEWARES: readonly MiddlewareName[] = ['rpc', 'grpc', 'redis', 'rabbitmq', 'kafka']

/** single: one node does everything. master/worker: see DESIGN section 2. */
export type NodeRole = 'single' | 'master' | 'worker'

export interface NodeOptions {
  /** Interface to bind (RPC middlewares). Default 127.0.0.1. */
  host?: string
  /** Port to bind (RPC middlewares); 0 picks a free one. */
  port?: number
  /** A worker's master: the address the master printed. */
  master?: string
  /** Broker URL (queue middlewares): redis://, amqp://, or host:port[,host:port] for Kafka. */
  broker?: string
  /** Prefix for every queue/topic/key, so several labs share one broker without colliding. */
  namespace?: string
  /** A master starts this many worker processes on the same machine (default 0). */
  workers?: number
  /** Worker heartbeat period; a worker is evicted after 3 missed beats. Default 1000. */
  heartbeatMs?: number
  /** Trending broadcast period. Default 5000. */
  broadcastMs?: number
  /** Words `moderate` censors; default core/moderate.ts DEFAULT_BANNED_WORDS. */
  bannedWords?: string[]
  /**
   * How many moderate jobs one node works on at once. The speedup harness and autoscaler set
   * a small number so that a worker is one server of an M/M/c queue; default: the driver's
   * choice for throughput.
   */
  jobConcurrency?: number
  /** Stable worker id (the supervisor passes one); generated when absent. */
  nodeId?: string
  /**
   * A master keeps this many worker processes loaded but idle (warm spares), so scaling up
   * takes one at once instead of waiting 0.5-4 s for a fresh process to load. Default 0.
   */
  spareWorkers?: number
  /**
   * The most workers this master will be asked to run (the autoscaler's --max). It bounds the
   * spares only (with n worker processes, stopping ones too, at most maxWorkers - n); keeping
   * the pool within it is the caller's part.
   */
  maxWorkers?: number
}

export interface WorkerInfo {
  id: string
  /** Where clients reach it (RPC middlewares); absent for queue workers. */
  address?: string
  /** OS process id when this master started it. */
  pid?: number
  lastSeen: number
}

export interface RunningNode {
  readonly role: NodeRole
  /** What clients pass as `server`; also the first line `mwlab serve` prints. */
  readonly address: string
  /** Live workers as the master sees them (empty for single and worker nodes). */
  workers(): Promise<WorkerInfo[]>
  /** Grow or shrink the pool of worker processes this master supervises. Graceful: a stopped worker finishes or returns its in-flight jobs. */
  scaleTo?(n: number): Promise<void>
  /** Jobs waiting in the work queue, as the broker reports them (queue middlewares' masters). */
  backlog?(): Promise<number>
  /** A master keeping warm spares: resolves once those it keeps now have loaded. */
  sparesLoaded?(): Promise<void>
  /** Stops serving: a worker finishes or returns its in-flight work first. Idempotent. */
  close(): Promise<void>
  /** Resolves when the node has stopped: undefined after close(), an Error if it died. */
  closed(): Promise<Error | undefined>
}

export interface ClientOptions {
  /** The address a node printed (single or master). */
  server: string
  /** Default per-call deadline, ms. Default 10000. */
  timeoutMs?: number
  /**
   * Let the client carry many calls per exchange where the protocol can: JSON-RPC 2.0
   * batches of the calls made at the same moment (rpc), moderate calls on one
   * bidirectional stream (grpc). Off by default: each call is then its own exchange, and
   * its latency is its own. The queue middlewares already batch on their own and ignore it.
   */
  batch?: boolean
}

export interface CallOptions {
  /** Cancels the call; it then rejects with CancelledError. */
  signal?: AbortSignal
  /** Deadline for this call, ms; it then rejects with TimeoutError. */
  timeoutMs?: number
  /** Makes the call idempotent across retries; the client generates one when absent. */
  requestId?: string
}

export interface ReviewClient {
  submitReview(input: ReviewInput, opts?: CallOptions): Promise<Review>
  listReviews(productId: string, limit?: number, opts?: CallOptions): Promise<Review[]>
  productStats(productId: string, opts?: CallOptions): Promise<ProductStats>
  trending(windowMs?: number, k?: number, opts?: CallOptions): Promise<TrendingEntry[]>
  moderate(text: string, cost?: CostInput, opts?: CallOptions): Promise<Moderated>
  /** Every broadcast from now on, until the signal aborts or the client closes. */
  subscribe(opts?: { signal?: AbortSignal }): AsyncIterable<TrendingUpdate>
  close(): Promise<void>
}

export interface Driver {
  readonly name: MiddlewareName
  serve(role: NodeRole, opts: NodeOptions): Promise<RunningNode>
  connect(opts: ClientOptions): Promise<ReviewClient>
  /**
   * Removes what a namespace left on the broker (topics, queues, keys), once every node and
   * client of it is closed. Harness runs use a fresh namespace each; without this a
   * long-lived broker piles them up (on Kafka, five topics of up to 12 partitions a run).
   */
  dropNamespace?(broker: string, namespace: string): Promise<void>
  /** The broker URL a node address points at (queue middlewares), as `mwlab brokers` names it. */
  brokerOf?(address: string): string
}
