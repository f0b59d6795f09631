import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { generateBatch } from '../core/generator.ts'

const run = promisify(execFile)
const BIN = new URL('../bin/mwlab.mjs', import.meta.url).pathname
const SAMPLE = new URL('../test/fixtures/amazon-sample.jsonl', import.meta.url).pathname

async function mwlab(...args: string[]) {
  return run(process.execPath, [BIN, ...args], { timeout: 30_000, env: { ...process.env, MWLAB_LOG: 'info' } })
}

describe('mwlab generate', () => {
  it('prints the seeded ReviewInputs, one JSON object per line', async () => {
    const { stdout, stderr } = await mwlab('generate', '--count', '20', '--seed', '4', '--kind', 'complex', '--rate', 'max')
    const lines = stdout.trimEnd().split('\n').map((l) => JSON.parse(l))
    expect(lines).toEqual(generateBatch(20, { seed: 4, kind: 'complex' }).map((m) => m.input))
    expect(stderr).toMatch(/generated 20 complex messages \(seed 4\)/)
  })

  it('replays an Amazon file, reporting skipped lines on stderr', async () => {
    const { stdout, stderr } = await mwlab('generate', '--replay', SAMPLE, '--rate', 'max')
    expect(stdout.trimEnd().split('\n')).toHaveLength(14)
    expect(stderr).toContain('amazon-sample.jsonl:11 skipped: invalid JSON')
    expect(stderr).toMatch(/valid 14, skipped 7/)
  })

  it('rejects a bad rate', async () => {
    await expect(mwlab('generate', '--rate', 'fast')).rejects.toMatchObject({ stderr: expect.stringContaining('--rate') })
  })
})
