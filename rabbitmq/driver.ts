// RabbitMQ middleware: request/reply with replyTo + correlationId, moderate jobs on a
// durable work queue with publisher confirms and competing consumers, trending on a
// fanout exchange. See node.ts (servers) and client.ts (clients).
import type { Driver } from '../core/contract.ts'
import { connectClient } from './client.ts'
import { serveNode } from './node.ts'

const driver: Driver = {
  name: 'rabbitmq',
  serve: (role, opts) => serveNode(role, opts),
  connect: (opts) => connectClient(opts),
}

export default driver
