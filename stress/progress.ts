// Progress on stderr while a run goes (cli-progress), so stdout stays clean for results.
// Stage lines ("starting rpc", "calibrating") are printed above the bar.
import cliProgress from 'cli-progress'
import type { RunProgress } from './load-run.ts'

export interface ProgressView {
  stage(text: string): void
  /** `label` goes before the phase (which node count, which run of several). */
  update(p: RunProgress, label?: string): void
  stop(): void
}

export function progressBar(enabled: boolean): ProgressView {
  if (!enabled || !process.stderr.isTTY) {
    return {
      stage: (t) => enabled && process.stderr.write(`${t}\n`),
      update: () => {},
      stop: () => {},
    }
  }
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: ' {label}{phase} |{bar}| {percentage}% | {rate} ops/s | ok {ok} | errors {errors} | in flight {inflight}',
      hideCursor: true,
      clearOnComplete: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  )
  let running = false
  return {
    stage(text) {
      if (running) bar.stop()
      running = false
      process.stderr.write(`${text}\n`)
    },
    update(p, label = '') {
      const payload = {
        label: label && `${label} `,
        phase: p.phase === 'warmup' ? 'warm-up ' : `run ${p.index + 1}/${p.repeat}`,
        rate: Math.round((p.ok * 1000) / Math.max(1, p.elapsedMs)),
        ok: p.ok,
        errors: p.errors,
        inflight: p.inflight,
      }
      if (!running) {
        bar.start(p.durationMs, 0, payload)
        running = true
      }
      bar.setTotal(p.durationMs)
      bar.update(Math.min(p.durationMs, Math.round(p.elapsedMs)), payload)
    },
    stop() {
      if (running) bar.stop()
      running = false
    },
  }
}
