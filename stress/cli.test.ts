// The CLI's parsing and the printed table, without running any load.
import { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { registerBench } from '../cli/bench.ts'
import { parseMiddlewares } from '../cli/options.ts'
import { parseCost, registerStress, specFrom, type StressFlags } from '../cli/stress.ts'
import { checksOf } from './bench.ts'
import { pairedRatios } from './calibrate/index.ts'
import { emptyAccounting } from './accounting.ts'
import { collectEnvironment } from './environment.ts'
import { RESULT_SCHEMA, spreadOf, type RunSpec, type StressResult } from './result.ts'
import { calibrationTable, formatUs, resultsTable } from './table.ts'

function program(): { p: Command; out: () => string } {
  let text = ''
  const p = new Command().exitOverride().configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) })
  registerStress(p)
  registerBench(p)
  return { p, out: () => text }
}

describe('mwlab stress CLI', () => {
  it('documents every flag of the issue in --help', async () => {
    const { p, out } = program()
    await expect(p.parseAsync(['node', 'mwlab', 'stress', '--help'])).rejects.toThrow()
    for (const flag of ['--op', '--mode', '--concurrency', '--rate', '--duration', '--warmup', '--repeat', '--nodes', '--payload', '--cost', '--find-max', '--p99-bound', '--out', '--json', '--load-workers']) {
      expect(out()).toContain(flag)
    }
  })

  it('parses middlewares, costs and durations', () => {
    expect(parseMiddlewares(['all'])).toEqual(['rpc', 'grpc', 'redis', 'rabbitmq', 'kafka'])
    expect(parseMiddlewares(['redis,rpc', 'redis'])).toEqual(['redis', 'rpc'])
    expect(parseMiddlewares(['redis, kafka'])).toEqual(['redis', 'kafka'])
    expect(() => parseMiddlewares(['zeromq'])).toThrow(/unknown middleware/)
    expect(parseCost('cpu=200,io=5')).toEqual({ cpuMicros: 200, ioMillis: 5 })
    expect(parseCost('io=3')).toEqual({ cpuMicros: 0, ioMillis: 3 })
    expect(() => parseCost('gpu=1')).toThrow(/cpu=/)
  })

  it('turns flags into a run spec (open loop, grace defaulting to the timeout)', async () => {
    const { p } = program()
    let seen: StressFlags | undefined
    p.commands.find((c) => c.name() === 'stress')!.action((_names: string[], o: StressFlags) => {
      seen = o
    })
    await p.parseAsync(['node', 'mwlab', 'stress', 'redis', '--mode', 'open', '--rate', '2500', '--duration', '1m', '--warmup', '500ms', '--cost', 'cpu=100', '--timeout', '2s'])
    const spec = specFrom('redis', seen!)
    expect(spec).toMatchObject({ load: { mode: 'open', rate: 2500 }, durationMs: 60_000, warmupMs: 500, cost: { cpuMicros: 100, ioMillis: 0 }, timeoutMs: 2000, graceMs: 2000, repeat: 3, nodes: 1 })
  })
})

function fakeResult(mw: RunSpec['middleware'], ops: number): StressResult {
  const spec: RunSpec = {
    middleware: mw,
    op: 'moderate',
    load: { mode: 'closed', concurrency: 16 },
    durationMs: 1000,
    warmupMs: 0,
    repeat: 3,
    timeoutMs: 1000,
    graceMs: 1000,
    nodes: 1,
    payload: 'complex',
    cost: { cpuMicros: 0, ioMillis: 0 },
    loadWorkers: 1,
    seed: 1,
  }
  const lat = { count: 10, minUs: 100, meanUs: 900, stdevUs: 10, p50Us: 850, p90Us: 1200, p99Us: 2500, p999Us: 12_000, maxUs: 1_500_000 }
  return {
    schema: RESULT_SCHEMA,
    id: 'x',
    createdAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:05.000Z',
    middleware: mw,
    op: 'moderate',
    mode: 'closed',
    spec,
    environment: collectEnvironment({ middleware: mw, nodes: 1, payload: 'complex', cost: spec.cost, loadWorkers: 1 }),
    repetitions: [],
    state: 'completed',
    summary: { throughput: spreadOf([ops * 0.9, ops, ops * 1.1]), latency: lat, spectrum: [], histogram: '', accounting: { ...emptyAccounting(), sent: 10, ok: 10 }, balanced: true },
    calibration: { baseline: { name: 'ioredis', what: 'raw', state: 'completed', throughput: spreadOf([ops * 2]) }, ratio: 0.5, pairedRatios: [0.45, 0.5, 0.55] },
  }
}

describe('tables and target checks', () => {
  it('prints one row per middleware with median, spread, percentiles and lost', () => {
    const t = resultsTable([fakeResult('redis', 20_000), fakeResult('rpc', 1234)])
    const lines = t.split('\n')
    expect(lines).toHaveLength(4)
    expect(lines[2]).toMatch(/^redis\s+moderate\s+closed c=16\s+1\s+20,000\s+\[18,000-22,000\]\s+850µs\s+2\.50ms\s+12\.0ms\s+1\.50s\s+0\s+0\s+ok$/)
    expect(calibrationTable([fakeResult('redis', 20_000)])).toMatch(/0\.50\s+0\.45-0\.55/)
    expect(formatUs(999)).toBe('999µs')
  })

  it('checks the issue targets against a result', () => {
    const checks = checksOf(fakeResult('redis', 20_000))
    expect(checks.find((c) => c.what === 'completed moderate/s')?.met).toBe(true)
    expect(checks.find((c) => c.what.startsWith('fraction of'))).toMatchObject({ met: false, measured: '0.50 (rounds 0.45-0.55)' })
    expect(checks.find((c) => c.what === 'lost')?.met).toBe(true)
  })
})

describe('calibration rounds', () => {
  it('pairs repetition i of the run with repetition i of its baseline, as far as both go', () => {
    expect(pairedRatios([900, 1500, 1000], [1000, 1500])).toEqual([0.9, 1])
    expect(pairedRatios([500], [0])).toEqual([])
    expect(pairedRatios(undefined, [1000])).toEqual([])
  })
})
