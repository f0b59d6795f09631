// The part of autocannon's API the calibration uses (the package ships no types).
declare module 'autocannon' {
  interface Stats {
    min: number
    max: number
    average: number
    mean?: number
    stddev: number
    p50: number
    p90: number
    p99: number
    p99_9: number
    total?: number
  }
  export interface Result {
    requests: Stats & { total: number; sent: number }
    latency: Stats
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    '2xx'?: number
  }
  export interface Options {
    url: string
    method?: string
    headers?: Record<string, string>
    body?: string
    connections?: number
    duration?: number
    workers?: number
    timeout?: number
  }
  export interface Instance {
    stop(): void
  }
  function autocannon(opts: Options, cb: (err: Error | null, result: Result) => void): Instance
  export default autocannon
}
