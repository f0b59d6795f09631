// A consumer of the moderate work queue, reliable in the classic Redis way: a job is moved
// atomically from `<ns>:jobs` into this worker's `<ns>:processing:<id>` hash (a Lua batch,
// TAKE_JOBS), and leaves it only in the same atomic step that answers it. An idle worker
// waits with a BLMOVE of the queue onto itself, which moves nothing: it only wakes the
// worker when a job arrives. A heartbeat key with a TTL says the worker is alive; when it expires the
// reaper puts what the processing hash holds back on the queue. A job that was put back is answered
// once per job id (`SET <ns>:done:<id> NX PX`, see COMPLETE_JOBS), whichever copy finishes first.
import type { Redis } from 'ioredis'
import { setTimeout as sleep } from 'node:timers/promises'
import { errorForReply } from '../core/errors.ts'
import type { Logger } from '../core/log.ts'
import type { ReviewService } from '../core/service.ts'
import { closeRedis, openRedis } from './connection.ts'
import type { Keys } from './keys.ts'
import { MAX_REDELIVERIES, REDELIVERIES_TTL_MS } from './reaper.ts'
import { REPLY_TTL_MS } from './request-server.ts'
import { BURY, COMPLETE_JOBS, RETURN_ALL, runScript, TAKE_JOBS } from './scripts.ts'
import { DEAD_LIST_CAP, deadEntry, decodeEnvelope, encodeMessage, type Envelope, type Reply } from './wire.ts'

const POP_TIMEOUT_S = 0.5
/** The done key outlives the job's deadline by this much; after the deadline a copy is dropped anyway. */
const DONE_MARGIN_MS = 10_000
const MAX_COMPLETIONS_PER_SCRIPT = 256
/** The reply of a job that expired before it ran: nothing is sent, the job is only marked done. */
const NO_REPLY = Buffer.alloc(0)
/** Sync work (censor + CPU cost) longer than this yields to the event loop, so heartbeats keep going. */
const YIELD_AFTER_MS = 20

export interface JobWorkerOptions {
  url: string
  keys: Keys
  workerId: string
  service: ReviewService
  cmd: Redis
  log: Logger
  heartbeatMs: number
  /** jobs held at once; more means better I/O overlap but more to redeliver when the worker dies */
  prefetch?: number
}

export interface Completion {
  /** the job's field in the processing hash */
  field: string
  jobId: string
  replyTo: string
  /** empty: nothing to send (expired job) */
  reply: Buffer
  doneTtlMs: number
}

/**
 * Answers a batch of jobs and removes them from `processing` in one atomic script
 * (COMPLETE_JOBS); returns how many answers went out (a redelivered job answered before is not).
 */
export async function completeJobs(cmd: Redis, keys: Keys, processing: string, batch: readonly Completion[]): Promise<number> {
  const scriptKeys = [processing, keys.redeliveries]
  const args: (string | number | Buffer)[] = [REPLY_TTL_MS, keys.done('')]
  const replyIndex = new Map<string, number>()
  for (const c of batch) {
    let k = replyIndex.get(c.replyTo)
    if (k === undefined) replyIndex.set(c.replyTo, (k = scriptKeys.push(keys.reply(c.replyTo)))) // Lua indexes from 1
    args.push(k, c.jobId, c.field, c.reply, c.doneTtlMs)
  }
  return (await runScript(cmd, COMPLETE_JOBS, scriptKeys, args)) as number
}

export class JobWorker {
  readonly stats = { done: 0, dead: 0, expired: 0, alreadyAnswered: 0 }
  private readonly processing: string
  private readonly prefetch: number
  private blk: Redis | undefined
  private stopping = false
  private inFlight = 0
  /** the last processing-hash field handed out; TAKE_JOBS numbers the jobs it takes after it */
  private taken = 0
  private slotWaiter: (() => void) | undefined
  private pending: Completion[] = []
  private flushing: Promise<void> | undefined
  private beat: NodeJS.Timeout | undefined
  private loop: Promise<void> | undefined

  constructor(private readonly o: JobWorkerOptions) {
    this.processing = o.keys.processing(o.workerId)
    this.prefetch = o.prefetch ?? Number(process.env.MWLAB_REDIS_PREFETCH ?? 128)
  }

  get heartbeatTtlMs(): number {
    return 3 * this.o.heartbeatMs
  }

  async start(): Promise<void> {
    this.blk = await openRedis(this.o.url, { name: `mwlab-jobs-${this.o.workerId}`, log: this.o.log })
    await this.heartbeat() // registered and alive before the first job is taken
    // An earlier process with this id may have left jobs (its fields would collide with ours).
    await this.returnHeld('start')
    this.beat = setInterval(() => void this.heartbeat().catch((err) => this.o.log.error('heartbeat failed', err)), this.o.heartbeatMs)
    this.loop = this.takeLoop()
  }

  private async heartbeat(): Promise<void> {
    const { keys, workerId } = this.o
    const info = JSON.stringify({ id: workerId, pid: process.pid, at: Date.now() })
    // SADD on every beat: a worker the reaper gave up on while it was stalled registers again.
    await this.o.cmd.multi().set(keys.heartbeat(workerId), info, 'PX', this.heartbeatTtlMs).sadd(keys.workers, workerId).exec()
  }

  private async takeLoop(): Promise<void> {
    const { keys, cmd, log } = this.o
    let yieldedAt = Date.now()
    let retry: { want: number; first: number } | undefined
    while (!this.stopping) {
      if (this.inFlight >= this.prefetch) {
        await new Promise<void>((r) => (this.slotWaiter = r))
        continue
      }
      let raws: string[]
      // A take that failed is tried again with the same range: if Redis ran it and only the
      // reply was lost, TAKE_JOBS hands back the jobs it stored instead of leaving them stuck.
      const { want, first } = retry ?? { want: this.prefetch - this.inFlight, first: this.taken + 1 }
      retry = undefined
      this.taken = Math.max(this.taken, first + want - 1) // reserved: the next range starts after it
      try {
        raws = (await runScript(cmd, TAKE_JOBS, [keys.jobs, this.processing], [want, first])) as string[]
        if (raws.length === 0 && !this.stopping) {
          // Wait for a job without taking it (the queue onto itself): TAKE_JOBS takes it next round.
          await this.blk!.blmove(keys.jobs, keys.jobs, 'RIGHT', 'RIGHT', POP_TIMEOUT_S)
          continue
        }
      } catch (err) {
        if (this.stopping) break
        log.error('taking jobs failed; retrying', err)
        retry = { want, first }
        await sleep(200)
        continue
      }
      for (let i = 0; i < raws.length; i++) {
        this.inFlight++
        void this.run(String(first + i), raws[i])
        if (Date.now() - yieldedAt > YIELD_AFTER_MS) {
          await new Promise((r) => setImmediate(r))
          yieldedAt = Date.now()
        }
      }
    }
  }

  private async run(field: string, raw: string): Promise<void> {
    const d = decodeEnvelope(raw)
    if (!d.ok) return this.bury(field, raw, d.reason)
    const msg = d.msg
    const now = Date.now()
    if (msg.deadline < now) {
      this.stats.expired++
      return this.complete(msg, field, NO_REPLY)
    }
    const reply = await this.answer(msg)
    this.complete(msg, field, encodeMessage(reply))
  }

  private async answer(msg: Envelope): Promise<Reply> {
    try {
      return { id: msg.id, ok: true, result: await this.o.service.callJob(msg.op, msg.params) }
    } catch (err) {
      return { id: msg.id, ok: false, error: errorForReply(err, this.o.log, msg.op).toWire() }
    }
  }

  private async bury(field: string, raw: string, reason: string): Promise<void> {
    this.stats.dead++
    this.o.log.warn(`dead job: ${reason}`)
    try {
      await runScript(this.o.cmd, BURY, [this.processing, this.o.keys.dead], [field, deadEntry(raw, reason), DEAD_LIST_CAP])
    } catch (err) {
      // It stays in the processing hash; on close or death it is returned and decoded again.
      this.o.log.error('moving a poison job to the dead list failed', err)
    } finally {
      this.release(1)
    }
  }

  private complete(msg: Envelope, field: string, reply: Buffer): void {
    this.pending.push({ field, jobId: msg.id, replyTo: msg.replyTo, reply, doneTtlMs: Math.max(0, msg.deadline - Date.now()) + DONE_MARGIN_MS })
    if (!this.flushing) this.flushing = this.flushLoop()
  }

  /** Sends completions in batches (one atomic script each) until none are left. */
  private async flushLoop(): Promise<void> {
    await new Promise((r) => setImmediate(r)) // let the jobs finishing in this turn join the batch
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_COMPLETIONS_PER_SCRIPT)
      try {
        const answered = await completeJobs(this.o.cmd, this.o.keys, this.processing, batch)
        const sent = batch.filter((c) => c.reply.length > 0).length
        this.stats.done += answered
        this.stats.alreadyAnswered += sent - answered
        this.release(batch.length)
      } catch (err) {
        this.o.log.error('completing jobs failed; retrying', err)
        this.pending.unshift(...batch)
        if (this.stopping) break // close() returns them to the queue
        await sleep(500)
      }
    }
    this.flushing = undefined
  }

  /**
   * Puts every job of this worker's processing hash back on the queue: on a graceful stop
   * (not counted as a failure), or at start, what an earlier process with this worker's id
   * left when it died (counted, so a job that keeps crashing it ends in the dead list).
   */
  private async returnHeld(why: 'stop' | 'start'): Promise<void> {
    const { keys, cmd, log } = this.o
    const inc = why === 'stop' ? 0 : 1
    const [returned, buried] = (await runScript(cmd, RETURN_ALL, [this.processing, keys.jobs, keys.redeliveries, keys.dead], [inc, MAX_REDELIVERIES, Date.now(), DEAD_LIST_CAP, REDELIVERIES_TTL_MS])) as [number, number]
    if (returned > 0) log.info(`returned ${returned} jobs to the queue${why === 'start' ? ' that an earlier process with this id left' : ''}`)
    if (buried > 0) log.warn(`buried ${buried} jobs an earlier process with this id died holding too often`)
  }

  private release(n: number): void {
    this.inFlight -= n
    const w = this.slotWaiter
    this.slotWaiter = undefined
    w?.()
  }

  /**
   * Graceful stop: take no more jobs, let the held ones finish for up to `graceMs`, return
   * whatever is left in the processing hash to the front of the queue, then deregister.
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.stopping) return
    this.stopping = true
    this.blk?.disconnect() // aborts a BLMOVE waiting for jobs (it moves none)
    this.release(0)
    await this.loop?.catch((err) => this.o.log.error('job loop failed', err))
    const until = Date.now() + graceMs
    while (this.inFlight > 0 && Date.now() < until) await sleep(20)
    if (this.inFlight > 0) this.o.log.warn(`${this.inFlight} jobs unfinished after ${graceMs} ms; returning them to the queue`)
    clearInterval(this.beat)
    const { keys, cmd, workerId } = this.o
    try {
      await this.returnHeld('stop')
      await cmd.multi().del(keys.heartbeat(workerId)).srem(keys.workers, workerId).exec()
    } catch (err) {
      // The heartbeat expires on its own; the reaper then returns the jobs.
      this.o.log.error('returning jobs on stop failed; the reaper will', err)
    }
    if (this.blk) await closeRedis(this.blk)
  }
}
