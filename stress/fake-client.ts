// A test double of the review *client*: a fake service behind core/client.ts (so deadlines,
// cancellation and request ids take the real code path), whose answers can be slowed,
// paused, dropped, failed or misrouted on purpose. It lets the engine's own tests show that
// a stall reaches the tail, drops are counted as lost and misrouted replies are caught,
// without depending on any middleware.
import { clientFromTransport, type Transport } from '../core/client.ts'
import type { ReviewClient } from '../core/contract.ts'
import { UnavailableError } from '../core/errors.ts'
import { createRng } from '../core/random.ts'
import type { TrendingUpdate } from '../core/schemas.ts'
import type { FakeOptions } from './types.ts'

export function fakeClient(o: FakeOptions, seed = 1): ReviewClient {
  const rng = createRng(seed)
  const born = performance.now()
  const pauseStart = born + (o.pauseAfterMs ?? Infinity)
  const pauseEnd = pauseStart + (o.pauseMs ?? 0)
  let previous: Record<string, unknown> | undefined
  let ids = 0
  let busyUntil = 0

  // The reply a correct service would give, computed from the params (echoing what the harness checks).
  const answer = (op: string, params: Record<string, unknown>): unknown => {
    switch (op) {
      case 'moderate':
        return { text: params.text, hits: 0 }
      case 'submitReview': {
        const { requestId: _requestId, ...input } = params
        return { ...input, id: `fake-${ids++}`, ts: Date.now() }
      }
      case 'productStats':
        return { productId: params.productId, count: 0, meanRating: 0 }
      default:
        return []
    }
  }

  const transport: Transport = {
    call(op, params) {
      const draw = rng.next()
      const drop = o.dropRate ?? 0
      const fail = o.failRate ?? 0
      const misroute = o.misrouteRate ?? 0
      if (draw < drop) return new Promise(() => {}) // never answered; core/client.ts still honours the abort
      const wrong = draw < drop + fail + misroute && draw >= drop + fail ? previous : undefined
      previous = params
      let at = performance.now()
      if (o.capacityOps) at = busyUntil = Math.max(at, busyUntil) + 1000 / o.capacityOps
      at += (o.serviceMs ?? 0) + (o.jitterMs ? rng.next() * o.jitterMs : 0)
      if (at >= pauseStart && at < pauseEnd) at = pauseEnd // the stalled server answers everything once it wakes
      return new Promise((resolve, reject) => {
        setTimeout(
          () => (draw < drop + fail && draw >= drop ? reject(new UnavailableError('fake failure')) : resolve(answer(op, wrong ?? params))),
          Math.max(0, at - performance.now()),
        )
      })
    },
    // eslint-disable-next-line require-yield
    async *subscribe(): AsyncIterable<TrendingUpdate> {
      return
    },
    async close() {},
  }
  return clientFromTransport(transport)
}
