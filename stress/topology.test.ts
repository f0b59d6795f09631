// startNode leaves nothing behind when a start fails: the node is stopped and the fresh
// namespace dropped from the broker.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Driver, RunningNode } from '../core/contract.ts'
import { startNode } from './topology.ts'

const fake = vi.hoisted(() => ({ serve: async (): Promise<unknown> => ({}), dropped: [] as string[], closed: 0, order: [] as string[] }))

vi.mock('../core/drivers.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../core/drivers.ts')>()),
  loadDriver: async (): Promise<Partial<Driver>> => ({
    serve: async () => (await fake.serve()) as RunningNode,
    dropNamespace: async (_broker: string, ns: string) => {
      fake.order.push('drop')
      fake.dropped.push(ns)
    },
  }),
}))

beforeEach(() => {
  fake.dropped = []
  fake.closed = 0
  fake.order = []
})

describe('startNode', () => {
  it('drops the namespace when serve fails', async () => {
    fake.serve = async () => {
      throw new Error('no port')
    }
    await expect(startNode('redis', { workers: 2, broker: 'redis://127.0.0.1:1' })).rejects.toThrow('no port')
    expect(fake.dropped).toHaveLength(1)
  })

  it('stops the master and drops the namespace when waiting for its workers fails', async () => {
    fake.serve = async () => ({
      address: 'fake',
      workers: async () => {
        throw new Error('master gone')
      },
      close: async () => void fake.closed++,
    })
    await expect(startNode('redis', { workers: 2, broker: 'redis://127.0.0.1:1' })).rejects.toThrow('master gone')
    expect([fake.closed, fake.dropped.length]).toEqual([1, 1])
  })

  it('close() stops the node, then drops its namespace', async () => {
    fake.serve = async () => ({ address: 'fake', workers: async () => [], close: async () => void fake.order.push('close') })
    const started = await startNode('redis', { workers: 0, broker: 'redis://127.0.0.1:1' })
    expect(fake.dropped).toEqual([])
    await started.close()
    expect(fake.order).toEqual(['close', 'drop'])
    expect(fake.dropped).toEqual([started.namespace])
  })

  it('close() logs a node that fails to stop, and drops the namespace all the same', async () => {
    fake.serve = async () => ({
      address: 'fake',
      workers: async () => [],
      close: async () => {
        throw new Error('worker stuck')
      },
    })
    const started = await startNode('redis', { workers: 0, broker: 'redis://127.0.0.1:1' })
    await expect(started.close()).resolves.toBeUndefined()
    expect(fake.dropped).toEqual([started.namespace])
  })
})
