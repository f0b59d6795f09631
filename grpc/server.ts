// A grpc-js server bound to host:port (127.0.0.1 and a free port by default), with a
// graceful shutdown that lets in-flight calls finish before forcing.
import * as grpc from '@grpc/grpc-js'
import type { Logger } from '../core/log.ts'
import { SERVER_OPTIONS } from './proto.ts'

const SHUTDOWN_GRACE_MS = 10_000

export interface BoundServer {
  server: grpc.Server
  /** host:port clients dial */
  address: string
  shutdown(): Promise<void>
}

export async function bindServer(server: grpc.Server, host = '127.0.0.1', port = 0, log: Logger): Promise<BoundServer> {
  const hostPart = host.includes(':') ? `[${host}]` : host
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${hostPart}:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  )
  return {
    server,
    address: `${hostPart}:${bound}`,
    shutdown: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          log.warn(`calls still running after ${SHUTDOWN_GRACE_MS} ms; forcing shutdown`)
          server.forceShutdown()
          resolve()
        }, SHUTDOWN_GRACE_MS)
        server.tryShutdown((err) => {
          clearTimeout(force)
          if (err) {
            log.warn('graceful shutdown failed; forcing', err)
            server.forceShutdown()
          }
          resolve()
        })
      }),
  }
}

export function newServer(): grpc.Server {
  return new grpc.Server(SERVER_OPTIONS)
}
