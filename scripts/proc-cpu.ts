// CPU time from /proc (Linux), for the scripts that measure where the cores go.
import { parseProcStat, TICK_MS } from '../stress/cpu-meter.ts'

/** User + system CPU seconds in a /proc/<pid>[/task/<tid>]/stat line. */
export function cpuSecondsOfStat(stat: string): number {
  return (parseProcStat(stat).ticks * TICK_MS) / 1000
}
