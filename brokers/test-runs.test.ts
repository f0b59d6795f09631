// Two overlapping test runs share one Redis: the first run out must leave it to the other,
// the last one out stops it. The other run is a real second process (holders are pids).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { down } from './index.ts'
import { createRedisBroker, ping } from './redis.ts'
import { acquireForTests } from './test-runs.ts'

const PORT = 26489
const runDir = mkdtempSync(join(tmpdir(), 'mwlab-test-runs-'))
const brokers = { redis: createRedisBroker({ port: PORT }) }
const tsx = createRequire(import.meta.url).resolve('tsx')

// The other run: acquires, says so, releases on SIGTERM.
const otherRun = `
import { acquireForTests } from ${JSON.stringify(new URL('./test-runs.ts', import.meta.url).pathname)}
const t = await acquireForTests({ only: ['redis'], log: (m) => process.stderr.write(m + '\\n') })
process.stdout.write(t.list[0].url + '\\n')
process.once('SIGTERM', () => t.release().then(() => process.exit(0), (e) => { console.error(e); process.exit(1) }))
setInterval(() => {}, 1000)
`

let child: ChildProcess | undefined

afterAll(async () => {
  child?.kill('SIGKILL')
  await down({ only: ['redis'], runDir, brokers, log: () => {} })
  rmSync(runDir, { recursive: true, force: true })
})

describe('overlapping test runs', () => {
  it('stop a broker only when the last run leaves', async () => {
    const script = join(runDir, 'other-run.mts')
    writeFileSync(script, otherRun)
    const env = { ...process.env, MWLAB_RUN_DIR: runDir, MWLAB_REDIS_PORT: String(PORT), REDIS_URL: '' }
    child = spawn(process.execPath, ['--import', tsx, script], { env, stdio: ['ignore', 'pipe', 'inherit'] })
    const [line] = (await once(child.stdout!, 'data')) as [Buffer]
    const url = line.toString().trim()
    expect(url).toBe(`redis://127.0.0.1:${PORT}`)

    vi.stubEnv('REDIS_URL', '')
    const mine = await acquireForTests({ only: ['redis'], runDir, brokers, log: () => {} })
    vi.unstubAllEnvs()
    expect(mine.list[0]).toMatchObject({ url, running: true })

    await mine.release() // the other run still holds it
    expect(await ping(url)).toBe(true)

    child.kill('SIGTERM') // the last run out, and the one that started it
    const [code] = (await once(child, 'exit')) as [number]
    expect(code).toBe(0)
    expect(await ping(url)).toBe(false)
    expect(JSON.parse(readFileSync(join(runDir, 'test-runs.json'), 'utf8'))).toEqual({ holders: [], started: [] })
  })
})
