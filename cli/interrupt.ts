// Ctrl-C for the long commands (stress, bench, speedup, autoscale, lab), the same way everywhere:
// the first stops the run cleanly and keeps what was measured, the second quits at once;
// the exit code then says whether the run completed. SIGTERM (kill, timeout(1)) is a first
// Ctrl-C too: killed outright, a run would leave its workers' queues and keys on the broker.

/** Runs `fn` with Ctrl-C and SIGTERM wired to its signal; `stopping` is what the first one prints. */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>, stopping = 'finishing the current window and writing what was measured'): Promise<T> {
  const ac = new AbortController()
  const onSignal = (sig: NodeJS.Signals) => {
    if (ac.signal.aborted) process.exit(130)
    process.stderr.write(`\nstopping (${sig}): ${stopping} (Ctrl-C again to quit now)\n`)
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

/** 130 after Ctrl-C (as a shell reports it), 1 when a result failed, else 0. */
export function exitCodeOf(results: readonly { state: string }[], interrupted: boolean): number {
  if (interrupted) return 130
  return results.some((r) => r.state === 'failed') ? 1 : 0
}
