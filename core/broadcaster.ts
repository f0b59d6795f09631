// Every interval, computes the trending top-5 and hands `{seq, at, top}` to a publish
// function (a middleware's fan-out: SSE, gRPC stream, PUBLISH, fanout exchange, topic).
import type { ReviewBackend } from './service.ts'
import type { TrendingUpdate } from './schemas.ts'

export const DEFAULT_BROADCAST_MS = 5000
export const BROADCAST_TOP_K = 5
export const BROADCAST_WINDOW_MS = 60_000

export interface Broadcaster {
  stop(): void
}

export function startBroadcaster(
  backend: ReviewBackend,
  publish: (u: TrendingUpdate) => void | Promise<void>,
  opts: { intervalMs?: number; onError?: (err: unknown) => void } = {},
): Broadcaster {
  let seq = 0
  let busy = false
  let stopped = false
  const tick = async () => {
    if (busy) return // a slow backend must not pile up ticks
    busy = true
    try {
      const top = await backend.trending(BROADCAST_WINDOW_MS, BROADCAST_TOP_K)
      if (stopped) return // stop() ran while trending was computed: the fan-out may already be closed
      await publish({ seq: ++seq, at: Date.now(), top })
    } catch (err) {
      opts.onError?.(err)
    } finally {
      busy = false
    }
  }
  const timer = setInterval(tick, opts.intervalMs ?? DEFAULT_BROADCAST_MS)
  timer.unref()
  return {
    stop: () => {
      stopped = true
      clearInterval(timer)
    },
  }
}
