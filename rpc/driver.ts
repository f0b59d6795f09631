// JSON-RPC 2.0 over HTTP (node:http + the json-rpc-2.0 package). Wire details: POST /
// carries single or batched JSON-RPC requests (methods = operation names of
// core/schemas.ts, params = the operation's params object); GET /subscribe is a
// Server-Sent Events stream of trending broadcasts; masters also answer cluster.*.
import type { Driver } from '../core/contract.ts'
import { clientFromTransport } from '../core/client.ts'
import { startNode } from './node.ts'
import { createTransport } from './transport.ts'

const driver: Driver = {
  name: 'rpc',
  serve: (role, opts) => startNode(role, opts),
  async connect(opts) {
    return clientFromTransport(await createTransport(opts), { timeoutMs: opts.timeoutMs })
  },
}

export default driver
