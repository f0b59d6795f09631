// The one place that knows every middleware folder: an explicit map of lazy imports, so
// a harness loads only the driver it uses (and a broken one does not stop the others).
import type { Driver, MiddlewareName } from './contract.ts'

const loaders: Record<MiddlewareName, () => Promise<{ default: Driver }>> = {
  rpc: () => import('../rpc/driver.ts'),
  grpc: () => import('../grpc/driver.ts'),
  redis: () => import('../redis/driver.ts'),
  rabbitmq: () => import('../rabbitmq/driver.ts'),
  kafka: () => import('../kafka/driver.ts'),
}

export async function loadDriver(name: MiddlewareName): Promise<Driver> {
  const loader = loaders[name]
  if (!loader) throw new Error(`unknown middleware: ${name} (expected one of ${Object.keys(loaders).join(', ')})`)
  return (await loader()).default
}

/** Queue middlewares need a broker; RPC middlewares are their own servers. */
export function needsBroker(name: MiddlewareName): name is 'redis' | 'rabbitmq' | 'kafka' {
  return name === 'redis' || name === 'rabbitmq' || name === 'kafka'
}
