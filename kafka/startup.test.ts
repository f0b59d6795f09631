// A consumer that cannot start must neither fail on a crash kafkajs recovers from nor be left
// running: a stress run once hung for good after "The coordinator is loading" on a broker
// that had just started (the failed loop's consumer kept restarting, holding the process open).
import { EventEmitter } from 'node:events'
import type { Consumer, Kafka } from 'kafkajs'
import { describe, expect, it, vi } from 'vitest'
import { createLogger } from '../core/log.ts'
import type { BatchProducer } from './batch-producer.ts'
import { startConsumeLoop } from './consume-loop.ts'
import { waitForJoin } from './group.ts'

const EVENTS = { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash', REBALANCING: 'consumer.rebalancing' }

/** The parts of a kafkajs consumer the driver uses, with events to fire by hand. */
function fakeConsumer(run: () => Promise<void> = async () => {}) {
  const bus = new EventEmitter()
  const consumer = {
    events: EVENTS,
    on: (event: string, fn: (e: unknown) => void) => {
      bus.on(event, fn)
      return () => bus.off(event, fn)
    },
    connect: vi.fn(async () => {}),
    subscribe: vi.fn(async () => {}),
    run: vi.fn(run),
    disconnect: vi.fn(async () => {}),
  }
  const crash = (restart: boolean) => bus.emit(EVENTS.CRASH, { payload: { error: new Error('The coordinator is loading'), restart } })
  const join = () => bus.emit(EVENTS.GROUP_JOIN, { payload: {} })
  return { consumer, crash, join }
}

describe('kafka consumer startup', () => {
  it('keeps waiting for the join through a crash kafkajs restarts from', async () => {
    const f = fakeConsumer()
    const joined = waitForJoin(f.consumer as unknown as Consumer, 'test', 5000)
    f.crash(true)
    f.join()
    await expect(joined).resolves.toBeUndefined()
  })

  it('gives up on a crash kafkajs does not restart from', async () => {
    const f = fakeConsumer()
    const joined = waitForJoin(f.consumer as unknown as Consumer, 'test', 5000)
    f.crash(false)
    await expect(joined).rejects.toThrow(/crashed before joining: The coordinator is loading/)
  })

  it('disconnects the consumer of a loop that fails to start', async () => {
    const f = fakeConsumer(async () => {
      throw new Error('run failed')
    })
    const kafka = { consumer: () => f.consumer } as unknown as Kafka
    const start = startConsumeLoop({
      kafka,
      groupId: 'g',
      topic: 't',
      dlqTopic: 'd',
      producer: {} as BatchProducer,
      concurrency: 1,
      partitions: 1,
      handle: async () => undefined,
      log: createLogger('test'),
      onFatal: () => {},
    })
    await expect(start).rejects.toThrow('run failed')
    expect(f.consumer.disconnect).toHaveBeenCalledOnce()
  })
})
