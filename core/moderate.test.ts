import { describe, expect, it } from 'vitest'
import { applyCost, burnCpu, CENSORED, makeCensor } from './moderate.ts'

describe('makeCensor (default words)', () => {
  const censor = makeCensor()

  it('censors whole words only', () => {
    expect(censor('the scammer was caught')).toEqual({ text: 'the scammer was caught', hits: 0 })
    expect(censor('idiotic, stupidity, scams')).toEqual({ text: 'idiotic, stupidity, scams', hits: 0 })
    expect(censor('scamé is not a word here')).toEqual({ text: 'scamé is not a word here', hits: 0 })
  })

  it('is case-insensitive and keeps punctuation', () => {
    expect(censor('SCAM!')).toEqual({ text: `${CENSORED}!`, hits: 1 })
    expect(censor('Stupid idiot')).toEqual({ text: `${CENSORED} ${CENSORED}`, hits: 2 })
    expect(censor('(scam) "Idiot".')).toEqual({ text: `(${CENSORED}) "${CENSORED}".`, hits: 2 })
  })

  it('counts every occurrence', () => {
    const r = censor('scam scam, SCAM; a scam-artist')
    expect(r.hits).toBe(4) // the hyphen separates words: "scam-artist" holds the word scam
    expect(r.text).toBe(`${CENSORED} ${CENSORED}, ${CENSORED}; a ${CENSORED}-artist`)
    expect(censor('nothing to see').hits).toBe(0)
  })
})

describe('makeCensor (custom words)', () => {
  it('uses only the given words', () => {
    const censor = makeCensor(['rubbish', 'c++'])
    expect(censor('Rubbish idiot rubbish')).toEqual({ text: `${CENSORED} idiot ${CENSORED}`, hits: 2 })
    expect(censor('I write c++ daily').hits).toBe(1) // regex metacharacters are escaped
  })

  it('censors nothing with an empty list', () => {
    expect(makeCensor([])('scam idiot')).toEqual({ text: 'scam idiot', hits: 0 })
    expect(makeCensor(['  '])('scam').hits).toBe(0)
  })
})

describe('cost model', () => {
  it('cpuMicros burns real process CPU time, not a sleep', () => {
    const before = process.cpuUsage()
    burnCpu(20_000)
    const used = process.cpuUsage(before)
    expect(used.user + used.system).toBeGreaterThanOrEqual(15_000)
  })

  it('ioMillis waits without burning CPU', async () => {
    const t0 = performance.now()
    const before = process.cpuUsage()
    await applyCost({ cpuMicros: 0, ioMillis: 200 })
    const used = process.cpuUsage(before)
    const wallMs = performance.now() - t0
    expect(wallMs).toBeGreaterThanOrEqual(195) // timers may fire a hair early
    // process-wide CPU (other threads of the test runner count too): a busy wait would use
    // about the whole 200 ms, a timer a small part of it
    expect((used.user + used.system) / 1000).toBeLessThan(wallMs / 2)
  })

  it('a zero or absent cost does nothing', async () => {
    await expect(applyCost(undefined)).resolves.toBeUndefined()
    await expect(applyCost({ cpuMicros: 0, ioMillis: 0 })).resolves.toBeUndefined()
  })
})
