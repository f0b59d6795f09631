// mwlab serve <middleware> --role single|master|worker: runs one node until SIGINT/SIGTERM.
// The first stdout line is the node's address (what clients pass as --server).
import { createInterface } from 'node:readline'
import { Command, InvalidArgumentError, Option } from 'commander'
import type { NodeOptions, NodeRole } from '../core/contract.ts'
import { loadDriver, needsBroker } from '../core/drivers.ts'
import { createLogger } from '../core/log.ts'
import { parseIntOption, parseList, parseMiddleware } from './options.ts'
import { resolveBroker } from './broker-url.ts'

/** The longest a graceful stop may take before the process exits regardless. */
const STOP_DEADLINE_MS = 30_000

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run a node of the review service over one middleware')
    .argument('<middleware>', 'rpc | grpc | redis | rabbitmq | kafka', parseMiddleware)
    .addOption(new Option('--role <role>', 'node role').choices(['single', 'master', 'worker']).default('single'))
    .option('--host <host>', 'interface to bind (rpc, grpc)', '127.0.0.1')
    .option('--port <n>', 'port to bind (rpc, grpc); 0 picks a free one', parseIntOption, 0)
    .option('--master <address>', "a worker's master (the address the master printed)")
    .option('--broker <url>', 'broker URL (redis, rabbitmq, kafka); default from REDIS_URL/AMQP_URL/KAFKA_BROKERS or `mwlab brokers up`')
    .option('--namespace <ns>', 'prefix of queues/topics/keys (queue middlewares)', 'mwlab')
    .option('--workers <n>', 'a master starts this many worker processes', parseIntOption, 0)
    .option('--node-id <id>', 'worker id (set by the supervisor)')
    .option('--heartbeat-ms <n>', 'worker heartbeat period', parseIntOption, 1000)
    .option('--broadcast-ms <n>', 'trending broadcast period', parseIntOption, 5000)
    .option('--job-concurrency <n>', 'moderate jobs one node works on at once (default: the driver\'s choice)', parseIntOption)
    .option('--banned-words <list>', 'comma-separated words moderate censors', parseList)
    .option('--spare-workers <n>', 'a master keeps this many worker processes loaded but idle, so scaling up is immediate', parseIntOption, 0)
    .addOption(new Option('--spare', 'load, then wait for a "start" line on stdin before serving (set by the supervisor)').hideHelp())
    .addOption(new Option('--supervised', 'started by a master: stop when stdin ends, leave Ctrl-C to the master (set by the supervisor)').hideHelp())
    .action(async (mw, o) => {
      const log = createLogger(`serve ${mw}`)
      const role = o.role as NodeRole
      if (role === 'worker' && !o.master) throw new InvalidArgumentError('a worker needs --master <address>')
      if (role !== 'master' && (o.workers > 0 || o.spareWorkers > 0)) throw new InvalidArgumentError('--workers and --spare-workers need --role master')
      const opts: NodeOptions = {
        host: o.host,
        port: o.port,
        master: o.master,
        namespace: o.namespace,
        workers: o.workers,
        nodeId: o.nodeId,
        heartbeatMs: o.heartbeatMs,
        broadcastMs: o.broadcastMs,
        bannedWords: o.bannedWords,
        jobConcurrency: o.jobConcurrency,
        spareWorkers: o.spareWorkers,
      }
      if (needsBroker(mw) && role !== 'worker') opts.broker = await resolveBroker(mw, o.broker)
      else if (o.broker) opts.broker = o.broker
      const driver = await loadDriver(mw)
      // A spare: everything is loaded (say so: a run may wait for its spares before it measures);
      // serve only when the supervisor says so, and leave quietly if it goes away first (stdin closes).
      if (o.spare) {
        process.stdout.write('loaded\n')
        if (!(await startLine())) process.exit(0)
      }
      const node = await driver.serve(role, opts)
      let stopping = false
      const stop = async (sig: string) => {
        if (stopping) return
        stopping = true
        log.info(`${sig}: stopping`)
        // A node whose broker is gone may retry its goodbyes for a long time; a stop must end.
        setTimeout(() => {
          log.error(`did not stop within ${STOP_DEADLINE_MS / 1000} s; exiting anyway`)
          process.exit(1)
        }, STOP_DEADLINE_MS).unref()
        try {
          await node.close()
          process.exit(0)
        } catch (err) {
          log.error('stopping failed', err)
          process.exit(1)
        }
      }
      // Handlers before the ready line: a supervisor may send SIGTERM the moment it reads it.
      process.on('SIGTERM', () => void stop('SIGTERM'))
      // A supervised worker leaves SIGINT to its master (bin/mwlab.mjs); the master dying
      // closes its stdin: then it stops on its own.
      if (o.supervised) process.stdin.on('end', () => void stop('master gone (stdin closed)')).resume()
      else process.on('SIGINT', () => void stop('SIGINT'))
      process.stdout.write(node.address + '\n')
      log.info(`${role} node ready at ${node.address}`)
      const err = await node.closed()
      if (!stopping) {
        if (err) log.error('node stopped', err)
        process.exit(err ? 1 : 0)
      }
    })
}

/** Resolves true on a "start" line on stdin, false when stdin ends without one. */
function startLine(): Promise<boolean> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin })
    lines.on('line', (l) => {
      if (l.trim() !== 'start') return
      resolve(true) // before close(), which emits 'close' at once
      lines.close()
    })
    lines.on('close', () => resolve(false))
  })
}
