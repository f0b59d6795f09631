// What `npm run lab` runs: the quick study (about 6 minutes on 2 cores) or the full one.
import type { Cost } from '../core/schemas.ts'

export interface LabPlan {
  stress: { durationMs: number; warmupMs: number; repeat: number; concurrency: number; findMaxFor: 'rpc' | 'all'; findMaxStepMs: number }
  speedup: { nodes: number[]; durationMs: number; warmupMs: number; repeat: number; io: Cost; cpu: Cost }
  autoscale: { middlewares: ('redis' | 'rabbitmq' | 'kafka')[]; timeScale: number }
}

export const QUICK: LabPlan = {
  stress: { durationMs: 3000, warmupMs: 1000, repeat: 3, concurrency: 64, findMaxFor: 'rpc', findMaxStepMs: 1500 },
  speedup: { nodes: [1, 2, 3], durationMs: 1500, warmupMs: 1500, repeat: 2, io: { cpuMicros: 0, ioMillis: 5 }, cpu: { cpuMicros: 2000, ioMillis: 0 } },
  autoscale: { middlewares: ['redis'], timeScale: 1 },
}

export const FULL: LabPlan = {
  stress: { durationMs: 10_000, warmupMs: 2000, repeat: 3, concurrency: 64, findMaxFor: 'all', findMaxStepMs: 5000 },
  speedup: { nodes: [1, 2, 3, 4, 6], durationMs: 10_000, warmupMs: 2000, repeat: 3, io: { cpuMicros: 0, ioMillis: 5 }, cpu: { cpuMicros: 2000, ioMillis: 0 } },
  autoscale: { middlewares: ['redis', 'rabbitmq', 'kafka'], timeScale: 2 },
}
