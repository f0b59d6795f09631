// RabbitMQ middleware: request/reply with replyTo + correlationId, moderate jobs on a
// durable work queue with publisher confirms and competing consumers, trending on a
// fanout exchange. See node.ts (servers) and client.ts (clients).
import type { Driver } from '../core/contract.ts'
import { parseAddress } from './address.ts'
import { connectClient } from './client.ts'
import { serveNode } from './node.ts'
import { deleteTopology } from './topology.ts'

const driver: Driver = {
  name: 'rabbitmq',
  serve: (role, opts) => serveNode(role, opts),
  connect: (opts) => connectClient(opts),
  dropNamespace: (broker, namespace) => deleteTopology(parseAddress(broker).url, namespace),
  brokerOf: (address) => parseAddress(address).url,
}

export default driver
