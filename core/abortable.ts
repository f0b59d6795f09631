// What can cut a call short: a caller's AbortSignal, or a call's own context (core/client.ts),
// which tells the transport the same thing without an AbortController per call. A closed loop
// over JSON-RPC served about a third more calls once its calls stopped making one (README,
// "Measured on this machine"): EventTarget listeners and signals are dear at 15,000 calls/s.

/** A call that its caller may give up on (core/client.ts CallContext). */
export interface Abandonable {
  readonly abandoned: boolean
  /** Runs `cb` once when the caller gives up, at once if it has; returns a function that forgets `cb`. */
  onAbandon(cb: (reason: unknown) => void): () => void
}

export type Abortable = AbortSignal | Abandonable

const NOTHING = () => {}

/** Runs `cb` with the reason once `a` aborts (at once if it has); returns a function that forgets `cb`. */
export function onAbort(a: Abortable | undefined, cb: (reason: unknown) => void): () => void {
  if (!a) return NOTHING
  if (!(a instanceof AbortSignal)) return a.onAbandon(cb)
  if (a.aborted) {
    cb(a.reason)
    return NOTHING
  }
  const listener = () => cb(a.reason)
  a.addEventListener('abort', listener, { once: true })
  return () => a.removeEventListener('abort', listener)
}

export function isAborted(a: Abortable | undefined): boolean {
  return a === undefined ? false : a instanceof AbortSignal ? a.aborted : a.abandoned
}
