// The CPU meter reads real processes: this one, a child it starts, and a child named as the
// broker, each spinning for a known time.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import { CpuMeter, cpuBetween, parseProcStat, perCall } from './cpu-meter.ts'
import { cpuTable } from './table.ts'
import type { StressResult } from './result.ts'

const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
})

/** Burns `ms` of this thread's CPU time (not wall time: a loaded machine may deschedule it). */
function spin(ms: number): void {
  const start = process.cpuUsage()
  for (;;) {
    const u = process.cpuUsage(start)
    if (u.user + u.system >= ms * 1000) return
  }
}

/** A child that first waits `delayMs`, then burns `ms` of its CPU time, says so, and idles until killed. */
async function spinningChild(ms: number, delayMs = 0): Promise<ChildProcess> {
  const code = `setTimeout(() => { const s = process.cpuUsage(); for (;;) { const u = process.cpuUsage(s); if (u.user + u.system >= ${ms * 1000}) break } console.log('spun') }, ${delayMs}); setInterval(() => {}, 1000)`
  const c = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(c)
  await once(c.stdout!, 'data')
  return c
}

describe.runIf(process.platform === 'linux')('CpuMeter', () => {
  it('counts this process and the processes it started', async () => {
    const meter = CpuMeter.open()!
    expect(meter).toBeDefined()
    const a = meter.read()
    spin(300)
    await spinningChild(400)
    const u = cpuBetween(a, meter.read())
    // this thread's 300 ms plus the child's 400 ms (and its start-up), within tick resolution
    expect(u.ownMs).toBeGreaterThanOrEqual(680)
    expect(u.ownMs).toBeLessThan(5000)
    expect(u.brokerMs).toBeUndefined()
    expect(u.machineBusy).toBeGreaterThan(0)
    expect(u.machineBusy).toBeLessThanOrEqual(1)
    expect(u.machineSteal).toBeGreaterThanOrEqual(0)
    expect(u.cores).toBeGreaterThan(0)
  })

  it('a child named as the broker counts as the broker, not as this process', async () => {
    const broker = spawn(process.execPath, ['-e', `setTimeout(() => { const s = process.cpuUsage(); for (;;) { const u = process.cpuUsage(s); if (u.user + u.system >= 400000) break } console.log('spun') }, 100); setInterval(() => {}, 1000)`], { stdio: ['ignore', 'pipe', 'inherit'] })
    children.push(broker)
    const meter = CpuMeter.open([broker.pid!])!
    const a = meter.read()
    await once(broker.stdout!, 'data')
    const u = cpuBetween(a, meter.read())
    expect(u.brokerMs!).toBeGreaterThanOrEqual(390)
    expect(u.ownMs).toBeLessThan(300) // this process only waited
  })

  it('a process that exits within the window is left out, not subtracted', async () => {
    const early = await spinningChild(300) // its CPU is before the window
    const meter = CpuMeter.open()!
    const a = meter.read()
    early.kill('SIGKILL')
    await once(early, 'exit')
    spin(200)
    const u = cpuBetween(a, meter.read())
    expect(u.ownMs).toBeGreaterThanOrEqual(190)
    expect(u.ownMs).toBeLessThan(1000)
  })

  it('reads a command name with spaces and parentheses', () => {
    const stat = '4242 (a) b (c) S 17 4242 4242 0 -1 4194304 100 0 0 0 250 40 0 0 20 0 3 0 987654 1000 10 0'
    expect(parseProcStat(stat)).toEqual({ ppid: 17, ticks: 290, startedAt: 987654 })
  })

  it('per call: the window CPU over the completed calls, in µs', () => {
    expect(perCall({ ownMs: 800, brokerMs: 120, machineBusy: 0.9, machineSteal: 0, cores: 2 }, 10_000)).toEqual({ ownUs: 80, brokerUs: 12 })
    expect(perCall({ ownMs: 800, machineBusy: 0.9, machineSteal: 0, cores: 2 }, 10_000)).toEqual({ ownUs: 80 })
    expect(perCall({ ownMs: 800, machineBusy: 0.9, machineSteal: 0, cores: 2 }, 0)).toBeUndefined()
  })
})

describe('cpuTable', () => {
  const result = (own: number, broker: number | undefined, raw?: { own: number; broker?: number }, nodeCounted = true) =>
    ({
      middleware: 'redis',
      op: 'moderate',
      spec: {},
      summary: { cpu: { perCall: { ownUs: own, brokerUs: broker }, nodeCounted, machineBusy: 0.87, machineSteal: 0.02, cores: 2 } },
      calibration: raw && { baseline: { name: 'ioredis', cpu: { perCall: { ownUs: raw.own, brokerUs: raw.broker }, machineBusy: 0.9, machineSteal: 0, cores: 2 } } },
    }) as unknown as StressResult

  it('compares totals with the raw baseline only like with like', () => {
    const t = cpuTable([result(70, 12, { own: 38, broker: 5 })])!
    expect(t).toMatch(/redis\s+70 \+ 12\s+ioredis 38 \+ 5\s+1\.91\s+87%\s+2%/)
    const unlike = cpuTable([result(70, undefined, { own: 38, broker: 5 })])!
    expect(unlike).toMatch(/redis\s+70\s+ioredis 38 \+ 5\s+-/)
    // a node given with --server is not counted, the raw echo server is
    expect(cpuTable([result(70, 12, { own: 38, broker: 5 }, false)])).toMatch(/ioredis 38 \+ 5\s+-/)
  })

  it('is absent when no run recorded CPU', () => {
    expect(cpuTable([{ middleware: 'rpc', op: 'moderate', spec: {}, summary: {} } as unknown as StressResult])).toBeUndefined()
  })
})
