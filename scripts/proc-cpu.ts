// CPU time from /proc (Linux), for the scripts that measure where the cores go.

/** User + system CPU seconds in a /proc/<pid>[/task/<tid>]/stat line (USER_HZ is 100 on Linux). */
export function cpuSecondsOfStat(stat: string): number {
  // Fields after the parenthesised name: utime and stime are the 12th and 13th.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(f[11]) + Number(f[12])) / 100
}
