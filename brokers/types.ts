// The interface every local broker (Redis, RabbitMQ, Kafka) implements, so brokers/index.ts,
// the CLI and test/global-setup.ts never depend on one broker's insides.
//
// NOT in the contract: how a broker is installed, which config files it writes, how it
// checks readiness. Each broker module owns that; it records what it started with
// brokers/state.ts (`writeBrokerState`) so `down` and `brokerUrl` find it later, from
// another process.
//
// Each broker module `brokers/<name>.ts` exports its LocalBroker as `redisBroker`,
// `rabbitBroker`, `kafkaBroker`; brokers/index.ts loads them lazily by those names.
import { UnavailableError } from '../core/errors.ts'

export type BrokerName = 'redis' | 'rabbitmq' | 'kafka'
export const BROKER_NAMES: readonly BrokerName[] = ['redis', 'rabbitmq', 'kafka']

export interface BrokerStatus {
  name: BrokerName
  /** What clients connect to: redis://..., amqp://..., or host:port[,host:port] for Kafka. */
  url: string
  running: boolean
  /** Given by the user through the env var; mwlab neither starts nor stops it. */
  external: boolean
  /** OS processes mwlab started for this broker. */
  pids?: number[]
  detail?: string
}

export interface BrokerContext {
  /** Where a broker keeps its data, logs, config and its state file. */
  runDir: string
  kafkaNodes: 1 | 3
  /** Progress for humans (stderr); results never go here. */
  log: (msg: string) => void
}

export interface LocalBroker {
  name: BrokerName
  envVar: 'REDIS_URL' | 'AMQP_URL' | 'KAFKA_BROKERS'
  /** Starts (idempotent: returns the running one) and waits until ready. */
  up(ctx: BrokerContext): Promise<BrokerStatus>
  /** Stops only what mwlab started (pids recorded in runDir), waits until gone. */
  down(ctx: BrokerContext): Promise<void>
  status(ctx: BrokerContext): Promise<BrokerStatus>
}

/** What a broker module records in `<runDir>/<name>.state.json` (brokers/state.ts). */
export interface BrokerRecord {
  url: string
  pids: number[]
  ports: number[]
  /** ISO time it was started. */
  startedAt: string
  /** Anything else the module needs to stop it (node name, data dir...). */
  extra?: Record<string, unknown>
}

/** A broker cannot be started or reached; the message says what is missing and how to get it. */
export class BrokerUnavailableError extends UnavailableError {
  override name = 'BrokerUnavailableError'
  constructor(
    readonly broker: BrokerName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}
