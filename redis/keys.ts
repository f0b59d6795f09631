// Addresses and key names. A node address is the broker URL plus `#namespace`
// (redis://127.0.0.1:6379#lab1); every key this middleware touches starts with `<ns>:`, so
// parallel labs and tests share one Redis without colliding.
import { ValidationError } from '../core/errors.ts'

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379'
export const DEFAULT_NAMESPACE = 'mwlab'
const NAMESPACE_RE = /^[A-Za-z0-9_.-]{1,64}$/

export interface Endpoint {
  /** Broker URL without the fragment. */
  url: string
  namespace: string
}

/** Splits `redis://host:port#ns`; a missing fragment means the default namespace. */
export function parseAddress(address: string): Endpoint {
  const hash = address.lastIndexOf('#')
  const url = hash >= 0 ? address.slice(0, hash) : address
  const namespace = hash >= 0 ? address.slice(hash + 1) : DEFAULT_NAMESPACE
  if (!/^rediss?:\/\//.test(url)) throw new ValidationError('server', `not a redis URL: ${address}`)
  checkNamespace(namespace)
  return { url, namespace }
}

export function formatAddress(e: Endpoint): string {
  return `${e.url}#${e.namespace}`
}

export function checkNamespace(ns: string): string {
  if (!NAMESPACE_RE.test(ns)) throw new ValidationError('namespace', `must match ${NAMESPACE_RE}`)
  return ns
}

/** Every key of one namespace, in one place. */
export function keysOf(ns: string) {
  const p = `${ns}:`
  return {
    prefix: p,
    /** store operations, consumed by the single node / master */
    requests: `${p}requests`,
    /** moderate jobs, consumed by workers (and by a single node) */
    jobs: `${p}jobs`,
    /** messages that could not be decoded or validated, as JSON {raw, reason, at} */
    dead: `${p}dead`,
    /** ids of workers that ever took jobs; the reaper checks each one's heartbeat */
    workers: `${p}workers`,
    /** how often the reaper returned a job (by sha1 of the message), to stop redelivering a job that kills workers */
    redeliveries: `${p}redeliveries`,
    /** held by the node that owns the store (single or master), so two owners never split the state */
    owner: `${p}owner`,
    trending: `${p}trending`,
    reply: (clientId: string) => `${p}reply:${clientId}`,
    processing: (workerId: string) => `${p}processing:${workerId}`,
    heartbeat: (workerId: string) => `${p}worker:${workerId}`,
    done: (jobId: string) => `${p}done:${jobId}`,
  }
}
export type Keys = ReturnType<typeof keysOf>
