// Ctrl-C for the long commands (stress, bench, speedup, autoscale, lab), the same way everywhere:
// the first stops the run cleanly and keeps what was measured, the second quits at once;
// the exit code then says whether the run completed.

/** Runs `fn` with Ctrl-C wired to its signal; `stopping` is what the first Ctrl-C prints. */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>, stopping = 'finishing the current window and writing what was measured'): Promise<T> {
  const ac = new AbortController()
  const onSigint = () => {
    if (ac.signal.aborted) process.exit(130)
    process.stderr.write(`\nstopping: ${stopping} (Ctrl-C again to quit now)\n`)
    ac.abort()
  }
  process.on('SIGINT', onSigint)
  try {
    return await fn(ac.signal)
  } finally {
    process.off('SIGINT', onSigint)
  }
}

/** 130 after Ctrl-C (as a shell reports it), 1 when a result failed, else 0. */
export function exitCodeOf(results: readonly { state: string }[], interrupted: boolean): number {
  if (interrupted) return 130
  return results.some((r) => r.state === 'failed') ? 1 : 0
}
