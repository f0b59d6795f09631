// The CPU meter reads real processes: this one, a child it starts, and a child named as the
// broker, each spinning for a known time.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import { CpuMeter, cpuBetween, perCall } from './cpu-meter.ts'
import { cpuTable } from './table.ts'
import type { StressResult } from './result.ts'

const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
})

function spin(ms: number): void {
  const end = performance.now() + ms
  while (performance.now() < end) {
    // busy
  }
}

/** A child that spins for `ms` of its own CPU, then idles until killed; resolves once it has spun. */
async function spinningChild(ms: number): Promise<ChildProcess> {
  const c = spawn(process.execPath, ['-e', `const e = performance.now() + ${ms}; while (performance.now() < e) {} console.log('spun'); setInterval(() => {}, 1000)`], { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(c)
  await once(c.stdout!, 'data')
  return c
}

describe.runIf(process.platform === 'linux')('CpuMeter', () => {
  it('counts this process, the processes it started, and the broker apart', async () => {
    const first = await spinningChild(0) // started before the window: its CPU before is not counted
    const meter = CpuMeter.open([first.pid!])!
    expect(meter).toBeDefined()
    const a = meter.read()
    spin(300)
    const ownChild = await spinningChild(400)
    first.kill('SIGKILL')
    const b = meter.read()
    const u = cpuBetween(a, b)
    // this thread's 300 ms plus the child's 400 ms (and its start-up), within tick resolution
    expect(u.ownMs).toBeGreaterThanOrEqual(650)
    expect(u.ownMs).toBeLessThan(5000)
    expect(u.brokerMs).toBeDefined()
    expect(u.brokerMs!).toBeLessThan(200) // the "broker" only slept
    expect(u.machineBusy).toBeGreaterThan(0)
    expect(u.machineBusy).toBeLessThanOrEqual(1)
    expect(u.machineSteal).toBeGreaterThanOrEqual(0)
    expect(u.cores).toBeGreaterThan(0)
    ownChild.kill('SIGKILL')
  })

  it('a child named as the broker counts as the broker, not as this process', async () => {
    const broker = spawn(process.execPath, ['-e', `setTimeout(() => { const e = performance.now() + 400; while (performance.now() < e) {} console.log('spun') }, 100); setInterval(() => {}, 1000)`], { stdio: ['ignore', 'pipe', 'inherit'] })
    children.push(broker)
    const meter = CpuMeter.open([broker.pid!])!
    const a = meter.read()
    await once(broker.stdout!, 'data')
    const u = cpuBetween(a, meter.read())
    expect(u.brokerMs!).toBeGreaterThanOrEqual(350)
    expect(u.ownMs).toBeLessThan(300) // this process only waited
  })

  it('per call: the window CPU over the completed calls, in µs', () => {
    expect(perCall({ ownMs: 800, brokerMs: 120, machineBusy: 0.9, machineSteal: 0, cores: 2 }, 10_000)).toEqual({ ownUs: 80, brokerUs: 12 })
    expect(perCall({ ownMs: 800, machineBusy: 0.9, machineSteal: 0, cores: 2 }, 10_000)).toEqual({ ownUs: 80 })
    expect(perCall({ ownMs: 800, machineBusy: 0.9, machineSteal: 0, cores: 2 }, 0)).toBeUndefined()
  })
})

describe('cpuTable', () => {
  const result = (own: number, broker: number | undefined, raw?: { own: number; broker?: number }) =>
    ({
      middleware: 'redis',
      op: 'moderate',
      spec: {},
      summary: { cpu: { perCall: { ownUs: own, brokerUs: broker }, machineBusy: 0.87, machineSteal: 0.02, cores: 2 } },
      calibration: raw && { baseline: { name: 'ioredis', cpu: { perCall: { ownUs: raw.own, brokerUs: raw.broker }, machineBusy: 0.9, machineSteal: 0, cores: 2 } } },
    }) as unknown as StressResult

  it('compares totals with the raw baseline only like with like', () => {
    const t = cpuTable([result(70, 12, { own: 38, broker: 5 })])!
    expect(t).toMatch(/redis\s+70 \+ 12\s+ioredis 38 \+ 5\s+1\.91\s+87%\s+2%/)
    const unlike = cpuTable([result(70, undefined, { own: 38, broker: 5 })])!
    expect(unlike).toMatch(/redis\s+70\s+ioredis 38 \+ 5\s+-/)
  })

  it('is absent when no run recorded CPU', () => {
    expect(cpuTable([{ middleware: 'rpc', op: 'moderate', spec: {}, summary: {} } as unknown as StressResult])).toBeUndefined()
  })
})
