// What a master reports as its backlog (the autoscaler's B): jobs no worker has started.
// A job that is running is not waiting, whatever the middleware's bookkeeping says: on
// Kafka the group's lag also counts jobs a worker has taken but not yet committed, which
// read as backlog and kept the autoscaler's drain from ever looking done.
import { describe, expect, inject, it } from 'vitest'
import type { MiddlewareName } from '../core/contract.ts'
import { loadDriver } from '../core/drivers.ts'
import { brokerFor, uniqueNamespace, waitFor } from './topology.ts'

const SENT = 3
const JOB_MS = 2500

describe.each(['redis', 'rabbitmq', 'kafka'] as MiddlewareName[])('%s master backlog', (mw) => {
  it('counts the jobs waiting, not the one a worker is running', { timeout: 90_000 }, async () => {
    const driver = await loadDriver(mw)
    const node = await driver.serve('master', { port: 0, broker: brokerFor(mw, inject('brokers')), namespace: uniqueNamespace('bl'), workers: 1, jobConcurrency: 1 })
    try {
      await waitFor(`1 ${mw} worker`, async () => (await node.workers()).length >= 1, 60_000)
      const client = await driver.connect({ server: node.address, timeoutMs: 60_000 })
      try {
        const started = Date.now()
        const all = Promise.all(Array.from({ length: SENT }, (_, i) => client.moderate(`job ${i}`, { ioMillis: JOB_MS })))
        // While the first job runs: one is running, and the worker may hold one more (its
        // prefetch, or on Kafka the rest of its fetch) without starting it.
        const seen = await waitFor('a backlog without the running job', async () => {
          const b = await node.backlog!()
          return b >= SENT - 2 && b <= SENT - 1 && b
        }, JOB_MS - 500, 50)
        expect(Date.now() - started).toBeLessThan(JOB_MS)
        expect(seen).toBeLessThan(SENT)
        await all
        await waitFor('an empty backlog once all are answered', async () => (await node.backlog!()) === 0, 5000, 50)
      } finally {
        await client.close()
      }
    } finally {
      await node.close()
    }
  })
})
