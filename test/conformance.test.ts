// One conformance suite over every middleware, single node and master with 3 worker
// processes. MWLAB_MIDDLEWARES=rpc,grpc narrows the run (CI runs all five).
import { inject } from 'vitest'
import { MIDDLEWARES, type MiddlewareName } from '../core/contract.ts'
import { describeConformance } from './conformance.ts'

const only = process.env.MWLAB_MIDDLEWARES?.split(',').filter(Boolean) as MiddlewareName[] | undefined
for (const mw of only ?? MIDDLEWARES) {
  for (const kind of ['single', 'cluster'] as const) describeConformance(mw, kind, () => inject('brokers'))
}
