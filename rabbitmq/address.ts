// A RabbitMQ node address is the broker URL plus `#namespace`
// (`amqp://guest:guest@127.0.0.1:5672/vhost#lab1`). Every queue and exchange the lab
// declares is prefixed `<namespace>.`, so parallel labs on one broker never collide.
import { ValidationError } from '../core/errors.ts'

export const DEFAULT_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672'
export const DEFAULT_NAMESPACE = 'mwlab'

/** Nagle's algorithm plus delayed ACKs stalls small request/reply frames by ~40 ms. */
export const SOCKET_OPTIONS = { noDelay: true }

export interface AmqpAddress {
  /** Broker URL without the fragment, as amqplib.connect takes it. */
  url: string
  namespace: string
}

const NAMESPACE_RE = /^[A-Za-z0-9_.-]{1,100}$/

export function parseAddress(address: string, fallbackNamespace = DEFAULT_NAMESPACE): AmqpAddress {
  const hash = address.indexOf('#')
  const url = hash < 0 ? address : address.slice(0, hash)
  const namespace = hash < 0 || hash === address.length - 1 ? fallbackNamespace : decodeURIComponent(address.slice(hash + 1))
  if (!/^amqps?:\/\//.test(url)) throw new ValidationError('server', `not an amqp:// URL: ${url}`)
  return { url, namespace: checkNamespace(namespace) }
}

export function checkNamespace(ns: string): string {
  if (!NAMESPACE_RE.test(ns)) throw new ValidationError('namespace', 'must be 1..100 characters of A-Z a-z 0-9 _ . -')
  return ns
}

export function formatAddress(a: AmqpAddress): string {
  return `${a.url}#${a.namespace}`
}

/**
 * Where a node connects. A worker follows its master's address (namespace included, since
 * the CLI always passes a default --namespace); other roles take broker/namespace, then env/defaults.
 */
export function nodeAddress(opts: { broker?: string; namespace?: string; master?: string }, role: string): AmqpAddress {
  const fromMaster = role === 'worker' && opts.master ? parseAddress(opts.master, opts.namespace) : undefined
  const url = opts.broker ?? fromMaster?.url ?? process.env.AMQP_URL ?? DEFAULT_AMQP_URL
  const namespace = fromMaster?.namespace ?? opts.namespace ?? DEFAULT_NAMESPACE
  return parseAddress(`${stripFragment(url)}#${namespace}`)
}

function stripFragment(url: string): string {
  const hash = url.indexOf('#')
  return hash < 0 ? url : url.slice(0, hash)
}

export interface Names {
  /** request/reply operations, consumed by the store owner (single or master) */
  requests: string
  /** durable classic work queue of `moderate` jobs, consumed by workers */
  jobs: string
  /** dead-letter exchange and the bounded queue behind it */
  dlx: string
  dead: string
  /** fanout exchange of trending broadcasts */
  trending: string
}

export function names(ns: string): Names {
  return {
    requests: `${ns}.requests`,
    jobs: `${ns}.jobs`,
    dlx: `${ns}.dlx`,
    dead: `${ns}.dead`,
    trending: `${ns}.trending`,
  }
}

/** Never log a password. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')
}
