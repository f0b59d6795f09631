// A load generator in its own worker thread: the main thread keeps the server (or the
// progress bar) while this thread only drives calls. Talks to load-pool.ts by messages.
import { parentPort, workerData } from 'node:worker_threads'
import { MwlabError } from '../core/errors.ts'
import { LoadSession, type SessionOptions } from './session.ts'
import type { PhasePlan, TargetSpec } from './types.ts'
import type { ToWorker, FromWorker } from './load-pool.ts'

const port = parentPort
if (!port) throw new Error('load-worker.ts must run in a worker thread')
const post = (m: FromWorker) => port.postMessage(m)
const { spec, options } = workerData as { spec: TargetSpec; options: SessionOptions }

let session: LoadSession
try {
  session = await LoadSession.open(spec, options)
  post({ t: 'ready' })
} catch (err) {
  post({ t: 'error', message: describe(err), code: codeOf(err) })
  process.exit(1)
}

port.on('message', (m: ToWorker) => {
  switch (m.t) {
    case 'phase':
      void runPhase(m.plan)
      break
    case 'stop':
      session.stop()
      break
    case 'close':
      void session.close().finally(() => post({ t: 'closed' }))
      break
  }
})

async function runPhase(plan: PhasePlan) {
  try {
    const shard = await session.runPhase(plan, (s) => post({ t: 'progress', snapshot: s }))
    post({ t: 'shard', shard })
  } catch (err) {
    post({ t: 'error', message: describe(err), code: codeOf(err) })
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
}

function codeOf(err: unknown) {
  return err instanceof MwlabError ? err.code : undefined
}
