// Arrival-rate profiles for the autoscaler, as multiples of one worker's capacity so the
// same profile asks for the same pool sizes whatever the cost per job.

export type ProfileName = 'steps' | 'bursts' | 'ramp'
export const PROFILES: readonly ProfileName[] = ['steps', 'bursts', 'ramp']

export interface Profile {
  name: ProfileName
  durationMs: number
  /** arrivals per second at t ms, in units of one worker's capacity */
  load(tMs: number): number
  /** times (ms) where the load steps up: the autoscaler must drain the backlog after each */
  steps: number[]
}

/** `scale` stretches time (1 = the quick lab version, about 30 s). */
export function profile(name: ProfileName, scale = 1): Profile {
  const s = (ms: number) => ms * scale
  switch (name) {
    case 'steps':
      return {
        name,
        durationMs: s(30_000),
        load: (t) => (t < s(6_000) ? 0.5 : t < s(18_000) ? 2.5 : 0.8),
        steps: [s(6_000)],
      }
    case 'bursts':
      return {
        name,
        durationMs: s(30_000),
        load: (t) => (t % s(10_000) >= s(4_000) && t % s(10_000) < s(7_000) ? 3.5 : 0.5),
        steps: [s(4_000), s(14_000), s(24_000)],
      }
    case 'ramp':
      return {
        name,
        durationMs: s(30_000),
        load: (t) => (t < s(15_000) ? 0.5 + (3 * t) / s(15_000) : Math.max(0.5, 3.5 - (3 * (t - s(15_000))) / s(15_000))),
        steps: [],
      }
  }
}
