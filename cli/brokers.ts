// mwlab brokers up|down|status: the local Redis, RabbitMQ and Kafka servers the queue
// middlewares use when REDIS_URL / AMQP_URL / KAFKA_BROKERS are not set.
import { Command, InvalidArgumentError, Option } from 'commander'
import type { BrokerName, BrokerOptions, BrokerStatus } from '../brokers/index.ts'
import { BROKER_NAMES } from '../brokers/types.ts'
import { parseList } from './options.ts'

function parseBrokers(v: string): BrokerName[] {
  const names = parseList(v)
  const bad = names.filter((n) => !(BROKER_NAMES as readonly string[]).includes(n))
  if (bad.length || names.length === 0) throw new InvalidArgumentError(`expected a comma-separated list of ${BROKER_NAMES.join(', ')}`)
  return names as BrokerName[]
}

interface Flags {
  only?: BrokerName[]
  kafkaNodes?: string
  json?: boolean
}

function options(o: Flags): BrokerOptions {
  return { only: o.only, kafkaNodes: o.kafkaNodes === '3' ? 3 : 1 }
}

function withCommonOptions(cmd: Command): Command {
  return cmd
    .option('--only <brokers>', `comma-separated subset of ${BROKER_NAMES.join(',')} (default: all)`, parseBrokers)
    .addOption(new Option('--kafka-nodes <n>', 'Kafka brokers in the cluster').choices(['1', '3']).default('1'))
}

export function registerBrokers(program: Command): void {
  const brokers = program
    .command('brokers')
    .description('start, stop and show the local brokers (state in .mwlab/brokers, or MWLAB_RUN_DIR)')
    .addHelpText(
      'after',
      `
A broker given through REDIS_URL, AMQP_URL or KAFKA_BROKERS is used as is: never started or stopped.

Examples:
  mwlab brokers up                      start Redis, RabbitMQ and Kafka on mwlab's own ports
  mwlab brokers up --only redis,rabbitmq
  mwlab brokers status --json
  mwlab brokers down`,
    )

  withCommonOptions(brokers.command('up'))
    .description('start the brokers (idempotent) and print one "NAME URL" line each')
    .option('--json', 'print the statuses as JSON')
    .action(async (o: Flags) => {
      const { defaultRunDir, up } = await import('../brokers/index.ts')
      const { keepForUser } = await import('../brokers/test-runs.ts')
      const list = await up(options(o))
      await keepForUser(defaultRunDir(), list.filter((s) => !s.external).map((s) => s.name))
      process.stdout.write(o.json ? JSON.stringify(list, null, 2) + '\n' : list.map((s) => `${s.name} ${s.url}\n`).join(''))
    })

  withCommonOptions(brokers.command('down'))
    .description('stop the brokers mwlab started (never external or system ones)')
    .action(async (o: Flags) => {
      const { down } = await import('../brokers/index.ts')
      await down(options(o))
    })

  withCommonOptions(brokers.command('status'))
    .description('show which brokers run, where, and whether mwlab manages them')
    .option('--json', 'print the statuses as JSON')
    .action(async (o: Flags) => {
      const { status } = await import('../brokers/index.ts')
      const list = await status(options(o))
      process.stdout.write(o.json ? JSON.stringify(list, null, 2) + '\n' : table(list))
    })
}

function table(list: BrokerStatus[]): string {
  const rows = [
    ['NAME', 'STATE', 'MANAGED BY', 'URL', 'PIDS', 'DETAIL'],
    ...list.map((s) => [s.name, s.running ? 'running' : 'stopped', s.external ? 'env' : 'mwlab', s.url, s.pids?.join(',') ?? '-', s.detail ?? '']),
  ]
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd() + '\n').join('')
}
