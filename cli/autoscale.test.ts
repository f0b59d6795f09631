// Flag checks of `mwlab autoscale` (before anything starts) and its printed summary.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import type { AutoscaleResult } from '../autoscale/run.ts'
import { parseTimeScale, summary } from './autoscale.ts'
import { parsePositiveDuration, parsePositiveInt } from './options.ts'

const run = promisify(execFile)
const BIN = new URL('../bin/mwlab.mjs', import.meta.url).pathname

describe('mwlab autoscale flags', () => {
  it('rejects what would make a run meaningless or endless', () => {
    for (const v of ['0', '-1', 'abc', '', 'NaN', 'Infinity', '101']) expect(() => parseTimeScale(v), v).toThrow(/> 0 and <= 100/)
    expect(parseTimeScale('0.5')).toBe(0.5)
    for (const v of ['0', '-1', '1.5', '', 'x']) expect(() => parsePositiveInt(v), v).toThrow(/integer >= 1/)
    expect(parsePositiveInt('3')).toBe(3)
    for (const v of ['0', '0ms', '0.4', '-1s', 'abc']) expect(() => parsePositiveDuration(v), v).toThrow(/duration/)
    expect(parsePositiveDuration('2s')).toBe(2000)
  })

  it('stops at a bad flag with one line naming it, before starting anything', async () => {
    // A broker nobody listens on: had anything started, stderr would say more than the error and its hint.
    const env = { ...process.env, REDIS_URL: 'redis://127.0.0.1:1', MWLAB_LOG: 'info' }
    const err = await run(process.execPath, [BIN, 'autoscale', 'redis', '--max', '0'], { timeout: 30_000, env }).catch((e) => e)
    expect(err.code).toBe(1)
    expect(err.stderr.trim().split('\n')).toEqual([expect.stringMatching(/--max.*'0' is invalid/), '(run with --help for usage)'])
  })
})

describe('mwlab autoscale summary', () => {
  const base = { profile: 'bursts', sent: 10, ok: 10, failed: 0, lost: 0, maxWorkers: 3, options: { max: 3, drainTargetMs: 2000 }, timeline: [{ needed: 2 }] } as const
  it('says an interrupted run is partial and which steps it never reached', () => {
    const r = {
      ...base,
      state: 'partial',
      interruptedAtS: 9.2,
      drainTimes: [
        { stepAt: 4, reached: true, drainedAfterS: 1.5 },
        { stepAt: 14, reached: false, drainedAfterS: null },
        { stepAt: 24, reached: false, drainedAfterS: null },
      ],
    } as unknown as AutoscaleResult
    const s = summary('redis', r)
    expect(s).toContain('time to drain the backlog after each step: 1.5 s, not reached, not reached (')
    expect(s).not.toContain('not drained')
    expect(s).toContain('interrupted after 9.2 s (partial result)')
  })

  it('says nothing of an interruption for a completed run', () => {
    const r = { ...base, state: 'completed', drainTimes: [{ stepAt: 6, reached: true, drainedAfterS: null }] } as unknown as AutoscaleResult
    expect(summary('redis', r)).toMatch(/after each step: not drained \(target 4 s\)$/)
  })

  it('says when --max held the pool back, and how many workers the formula asked for', () => {
    const r = { ...base, state: 'completed', timeline: [{ needed: 2 }, { needed: 5 }, { needed: 4 }], drainTimes: [] } as unknown as AutoscaleResult
    expect(summary('redis', r)).toContain('--max 3 held the pool back in 2 ticks (the formula asked for up to 5 workers)')
  })
})
