// Short runs of both load models against every middleware (real servers, real brokers):
// every request accounted for, nothing lost, and the result file carries every field.
// MWLAB_MIDDLEWARES=rpc,grpc narrows the run, as in the conformance suite.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { MIDDLEWARES, type MiddlewareName } from '../core/contract.ts'
import { balances } from './accounting.ts'
import { CLIENT_LIBRARIES } from './environment.ts'
import { runStress } from './engine.ts'
import { startNode } from './topology.ts'
import { writeResult } from './output.ts'
import type { RepetitionResult, RunSpec, StressResult } from './result.ts'

const only = process.env.MWLAB_MIDDLEWARES?.split(',').filter(Boolean) as MiddlewareName[] | undefined
const out = mkdtempSync(join(tmpdir(), 'mwlab-stress-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

function brokerOf(mw: MiddlewareName): string | undefined {
  const b = inject('brokers')
  const url = mw === 'redis' ? b.redis : mw === 'rabbitmq' ? b.amqp : mw === 'kafka' ? b.kafka : undefined
  if (url === '') throw new Error(`no ${mw} broker for this test run (MWLAB_TEST_BROKERS?)`)
  return url
}

function spec(mw: MiddlewareName, load: RunSpec['load']): RunSpec {
  return {
    middleware: mw,
    op: 'moderate',
    load,
    durationMs: 1000,
    warmupMs: 300,
    repeat: 2,
    timeoutMs: 5000,
    graceMs: 5000,
    nodes: 1,
    payload: 'complex',
    cost: { cpuMicros: 0, ioMillis: 0 },
    loadWorkers: 1,
    seed: 7,
    broker: brokerOf(mw),
  }
}

const LATENCY_KEYS = ['count', 'minUs', 'meanUs', 'stdevUs', 'p50Us', 'p90Us', 'p99Us', 'p999Us', 'maxUs']
const ACCOUNTING_KEYS = ['sent', 'ok', 'failed', 'failedTotal', 'timedOut', 'lost', 'duplicates', 'skipped']

function expectRepetition(r: RepetitionResult) {
  expect(Object.keys(r.latency).sort()).toEqual([...LATENCY_KEYS].sort())
  expect(Object.keys(r.accounting).sort()).toEqual([...ACCOUNTING_KEYS].sort())
  expect(r.spectrum.map((p) => p.percentile)).toContain(99.9)
  expect(r.histogram).toMatch(/^HIST/)
  expect(r.balanced).toBe(true)
  expect(balances(r.accounting)).toBe(true)
  expect(r.accounting.lost).toBe(0)
  expect(r.accounting.ok).toBeGreaterThan(0)
  expect(r.latency.count).toBe(r.accounting.ok)
  if (process.platform === 'linux') {
    expect(r.cpu?.ownMs).toBeGreaterThan(0)
    expect(r.cpuPerCall?.ownUs).toBeGreaterThan(0)
  }
}

/** Reads the written file back and checks the fields a reader of results relies on. */
function expectFile(r: StressResult, mw: MiddlewareName) {
  const path = writeResult(out, r)
  expect(path).toMatch(new RegExp(`-${mw}-moderate-${r.mode}\\.json$`))
  const f = JSON.parse(readFileSync(path, 'utf8')) as StressResult
  expect(f).toMatchObject({ schema: 'mwlab.stress/1', middleware: mw, op: 'moderate', state: 'completed' })
  for (const k of ['id', 'createdAt', 'finishedAt', 'spec', 'environment', 'repetitions', 'summary', 'warmup']) expect(f).toHaveProperty(k)
  const e = f.environment
  expect(e.host.cores).toBeGreaterThan(0)
  expect(e.host.cpuModel).toBeTruthy()
  expect(e.node).toBe(process.version)
  for (const lib of CLIENT_LIBRARIES[mw]) expect(e.libraries[lib]).toMatch(/^\d+\.\d+/)
  expect(e).toMatchObject({ payload: { kind: 'complex' }, nodes: 1, cost: { cpuMicros: 0, ioMillis: 0 }, loadWorkers: 1 })
  expect(['json', 'protobuf']).toContain(e.codec)
  if (mw === 'redis' || mw === 'rabbitmq' || mw === 'kafka') {
    expect(e.broker?.url).toBeTruthy()
    expect(e.broker?.url).not.toMatch(/:guest@/) // passwords never land in result files
  }
  expect(f.repetitions).toHaveLength(2)
  for (const rep of f.repetitions) expectRepetition(rep)
  if (f.state !== 'completed') throw new Error(`state ${f.state}`)
  expect(f.summary.throughput).toMatchObject({ n: 2 })
  expect(f.summary.throughput.median).toBeGreaterThan(0)
  expect(f.summary.balanced).toBe(true)
  expect(f.summary.accounting.lost).toBe(0)
  expect(f.summary.accounting.duplicates).toBe(0)
  if (process.platform === 'linux') expect(f.summary.cpu).toMatchObject({ nodeCounted: true, perCall: { ownUs: expect.any(Number) } })
}

for (const mw of only ?? MIDDLEWARES) {
  describe(`stress ${mw}`, () => {
    it('closed loop: every call accounted for, nothing lost, calibrated, full result file', async () => {
      const r = await runStress(spec(mw, { mode: 'closed', concurrency: 16 }), { calibrate: true })
      if (r.state !== 'completed') throw new Error(`${mw} closed loop ${r.state}: ${JSON.stringify(r.state === 'failed' ? r.error : r.reason)}`)
      expectFile(r, mw)
      const c = r.calibration
      expect(c?.baseline.state, JSON.stringify(c?.baseline.error)).toBe('completed')
      expect(c?.ratio).toBeGreaterThan(0)
      if (mw === 'rpc') expect(c?.generator?.ratio).toBeGreaterThan(0)
    })

    it('open loop: every call accounted for, nothing lost, full result file', async () => {
      const r = await runStress(spec(mw, { mode: 'open', rate: 200 }))
      if (r.state !== 'completed') throw new Error(`${mw} open loop ${r.state}: ${JSON.stringify(r.state === 'failed' ? r.error : r.reason)}`)
      expectFile(r, mw)
      expect(r.summary.accounting.sent).toBeGreaterThanOrEqual(2 * 200 * 0.9)
      for (const rep of r.repetitions) expect(rep.sendLag?.count).toBe(rep.accounting.sent)
    })
  })
}

describe.runIf(!only || only.includes('redis'))('stress redis --server ADDR', () => {
  it('finds the broker in the node address: calibrated, and the node is not counted as this process', async () => {
    const node = await startNode('redis', { workers: 0, broker: brokerOf('redis') })
    try {
      const r = await runStress({ ...spec('redis', { mode: 'closed', concurrency: 16 }), server: node.address, broker: undefined }, { calibrate: true })
      if (r.state !== 'completed') throw new Error(`redis --server run ${r.state}: ${JSON.stringify(r.state === 'failed' ? r.error : r.reason)}`)
      expect(r.environment.broker?.url).toBe(brokerOf('redis'))
      expect(r.calibration?.baseline.state, JSON.stringify(r.calibration?.baseline.error)).toBe('completed')
      if (process.platform === 'linux') expect(r.summary.cpu?.nodeCounted).toBe(false)
    } finally {
      await node.close()
    }
  })
})
