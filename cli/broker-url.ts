// Where a queue middleware's broker is: --broker, else the environment or a broker
// started by `mwlab brokers up` (brokers/index.ts).
import type { MiddlewareName } from '../core/contract.ts'

const BROKER_OF = { redis: 'redis', rabbitmq: 'rabbitmq', kafka: 'kafka' } as const

export async function resolveBroker(mw: MiddlewareName, flag?: string): Promise<string> {
  if (flag) return flag
  if (mw === 'rpc' || mw === 'grpc') throw new Error(`${mw} needs no broker`)
  // Loaded lazily so the RPC middlewares never touch the broker code.
  const { brokerUrl } = await import('../brokers/index.ts')
  return brokerUrl(BROKER_OF[mw])
}

/** Default server address for a queue middleware: its broker with the default namespace. */
export async function defaultServer(mw: MiddlewareName): Promise<string> {
  const url = await resolveBroker(mw)
  const base = mw === 'kafka' && !url.includes('://') ? `kafka://${url}` : url
  return `${base}#mwlab`
}
