// The gRPC middleware: one .proto (review.proto), typed stubs from grpc/generated/,
// unary calls, a server-streaming Subscribe, and a master that is a registry for
// client-side balancing over workers.
import { clientFromTransport } from '../core/client.ts'
import type { Driver } from '../core/contract.ts'
import { GrpcTransport } from './client-transport.ts'
import { serveNode } from './node.ts'

const driver: Driver = {
  name: 'grpc',
  serve: serveNode,
  async connect(opts) {
    const transport = await GrpcTransport.open({ server: opts.server, batch: opts.batch })
    return clientFromTransport(transport, { timeoutMs: opts.timeoutMs })
  },
}

export default driver
