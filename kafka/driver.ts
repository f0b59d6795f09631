// Kafka driver: request topic + per-client reply partition for review operations, a
// consumer group over a partitioned jobs topic for moderate, a trending topic each
// subscriber reads from its end. Node address: kafka://HOST:PORT[,HOST:PORT]#namespace.
import type { Driver } from '../core/contract.ts'
import { parseAddress } from './address.ts'
import { connectKafka } from './client.ts'
import { deleteNamespace } from './namespace.ts'
import { serveKafka } from './node.ts'

const driver: Driver = {
  name: 'kafka',
  serve: (role, opts) => serveKafka(role, opts),
  connect: (opts) => connectKafka(opts),
  dropNamespace: deleteNamespace,
  brokerOf: (address) => parseAddress(address).brokers.join(','),
}

export default driver
