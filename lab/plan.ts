// What `npm run lab` runs: the quick study (about 6 minutes on 2 cores) or the full one.
import type { MiddlewareName } from '../core/contract.ts'
import type { Cost } from '../core/schemas.ts'

/**
 * A longer warm-up for a middleware that takes longer to reach its steady rate. Kafka serves
 * 20-40 % less for its first ~10 s, while fresh Node processes compile kafkajs on the busy
 * cores and a new broker's JVM warms up (README, "Measured on this machine"): with the default
 * warm-up its cells measured that climb, not the middleware.
 */
type WarmupFor = Partial<Record<MiddlewareName, number>>

export interface LabPlan {
  stress: { durationMs: number; warmupMs: number; warmupMsFor: WarmupFor; repeat: number; concurrency: number; findMaxFor: 'rpc' | 'all'; findMaxStepMs: number }
  speedup: {
    nodes: number[]
    durationMs: number
    warmupMs: number
    warmupMsFor: WarmupFor
    repeat: number
    io: Cost
    cpu: Cost
  }
  autoscale: { middlewares: ('redis' | 'rabbitmq' | 'kafka')[]; timeScale: number }
}

export const QUICK: LabPlan = {
  stress: { durationMs: 3000, warmupMs: 1000, warmupMsFor: { kafka: 4500 }, repeat: 3, concurrency: 64, findMaxFor: 'rpc', findMaxStepMs: 1500 },
  speedup: { nodes: [1, 2, 3], durationMs: 1500, warmupMs: 1500, warmupMsFor: { kafka: 4500 }, repeat: 2, io: { cpuMicros: 0, ioMillis: 5 }, cpu: { cpuMicros: 2000, ioMillis: 0 } },
  autoscale: { middlewares: ['redis'], timeScale: 1 },
}

export const FULL: LabPlan = {
  stress: { durationMs: 10_000, warmupMs: 2000, warmupMsFor: { kafka: 10_000 }, repeat: 3, concurrency: 64, findMaxFor: 'all', findMaxStepMs: 5000 },
  speedup: { nodes: [1, 2, 3, 4, 6], durationMs: 10_000, warmupMs: 2000, warmupMsFor: { kafka: 10_000 }, repeat: 3, io: { cpuMicros: 0, ioMillis: 5 }, cpu: { cpuMicros: 2000, ioMillis: 0 } },
  autoscale: { middlewares: ['redis', 'rabbitmq', 'kafka'], timeScale: 2 },
}
