// Resolves a TargetSpec (plain data, so it crosses into worker threads) into a Caller.
// An explicit map of lazy imports, like core/drivers.ts: a generator loads only the client
// library it uses.
import { loadDriver } from '../core/drivers.ts'
import type { Caller } from './accounting.ts'
import type { RawClientFactory } from './calibrate/raw.ts'
import { fakeClient } from './fake-client.ts'
import { makeCaller } from './operations.ts'
import type { RawBaseline, TargetSpec } from './types.ts'

export interface OpenedTarget {
  caller: Caller
  close(): Promise<void>
}

const RAW_CLIENTS: Record<RawBaseline, () => Promise<{ connectRaw: RawClientFactory }>> = {
  http: () => import('./calibrate/http-raw.ts'),
  grpc: () => import('./calibrate/grpc-echo.ts'),
  redis: () => import('./calibrate/redis-raw.ts'),
  rabbitmq: () => import('./calibrate/amqp-raw.ts'),
  kafka: () => import('./calibrate/kafka-raw.ts'),
}

export async function openTarget(t: TargetSpec, seed: number, callTimeoutMs: number): Promise<OpenedTarget> {
  switch (t.kind) {
    case 'driver': {
      const driver = await loadDriver(t.middleware)
      const client = await driver.connect({ server: t.server, timeoutMs: callTimeoutMs, batch: t.workload.batch })
      return { caller: makeCaller(client, t.workload, seed, callTimeoutMs), close: () => client.close() }
    }
    case 'fake': {
      const client = fakeClient(t.fake, seed)
      return { caller: makeCaller(client, t.workload, seed, callTimeoutMs), close: () => client.close() }
    }
    case 'raw': {
      const { connectRaw } = await RAW_CLIENTS[t.baseline]()
      return connectRaw(t.address, t.workload, seed)
    }
  }
}
