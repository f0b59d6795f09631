// Ctrl-C for the long commands (stress, bench, speedup, autoscale, lab), the same way everywhere:
// the first stops the run cleanly and keeps what was measured, the second quits at once;
// the exit code then says whether the run completed. SIGTERM (kill, timeout(1)) is a first
// Ctrl-C too: killed outright, a run would leave its workers' queues and keys on the broker.

/**
 * A signal this soon after the first is the same request twice (timeout(1) signals the process
 * and then its group), not a second Ctrl-C.
 */
const REPEAT_MS = 1000

/** Runs `fn` with Ctrl-C and SIGTERM wired to its signal; `stopping` is what the first one prints. */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>, stopping = 'finishing the current window and writing what was measured'): Promise<T> {
  const ac = new AbortController()
  let firstAt = 0
  const onSignal = (sig: NodeJS.Signals) => {
    if (ac.signal.aborted) {
      if (Date.now() - firstAt >= REPEAT_MS) process.exit(130)
      return
    }
    firstAt = Date.now()
    process.stderr.write(`\nstopping (${sig}): ${stopping} (signal again to quit now)\n`)
    ac.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    return await fn(ac.signal)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

/** 130 after an interruption (Ctrl-C or SIGTERM alike), 1 when a result failed, else 0. */
export function exitCodeOf(results: readonly { state: string }[], interrupted: boolean): number {
  if (interrupted) return 130
  return results.some((r) => r.state === 'failed') ? 1 : 0
}
