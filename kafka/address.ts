// Kafka node addresses: `kafka://HOST:PORT[,HOST:PORT]#namespace`. The broker list is what
// kafkajs bootstraps from; the namespace prefixes every topic and group, so parallel labs
// on one cluster never see each other's messages.
import { ValidationError } from '../core/errors.ts'

export const DEFAULT_NAMESPACE = 'mwlab'
// Kafka topic names allow [a-zA-Z0-9._-]; the namespace is followed by '.<suffix>'.
const NAMESPACE_RE = /^[a-zA-Z0-9_-][a-zA-Z0-9._-]{0,150}$/

export interface KafkaAddress {
  brokers: string[]
  namespace: string
}

/**
 * `kafka://h:p,h:p`, `h:p,h:p` or either with `#ns`. localhost becomes 127.0.0.1: Node may
 * resolve localhost to ::1 first, where the lab's brokers do not listen.
 */
export function parseBrokers(url: string): string[] {
  const list = url.replace(/^kafka:\/\//, '').split('#')[0]!
  const brokers = list
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean)
    .map((b) => b.replace(/^localhost(?=:|$)/, '127.0.0.1'))
  if (brokers.length === 0) throw new ValidationError('broker', `no Kafka broker in "${url}" (expected host:port[,host:port])`)
  for (const b of brokers) {
    if (!/^[^:\s/]+:\d{1,5}$/.test(b)) throw new ValidationError('broker', `"${b}" is not host:port`)
  }
  return brokers
}

export function parseAddress(address: string, fallbackNamespace = DEFAULT_NAMESPACE): KafkaAddress {
  const hash = address.indexOf('#')
  const namespace = hash >= 0 ? address.slice(hash + 1) : fallbackNamespace
  return { brokers: parseBrokers(address), namespace: checkNamespace(namespace) }
}

export function checkNamespace(ns: string): string {
  if (!NAMESPACE_RE.test(ns)) throw new ValidationError('namespace', `"${ns}" must be 1-151 characters of a-z A-Z 0-9 . _ -`)
  return ns
}

export function formatAddress(a: KafkaAddress): string {
  return `kafka://${a.brokers.join(',')}#${a.namespace}`
}
