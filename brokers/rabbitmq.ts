// RabbitMQ as a local process: Debian's rabbitmq-server as a separate Erlang node with its
// own name, ports, cookie, data and logs under the run dir, so it never meets a system
// RabbitMQ (rabbit@localhost on 5672/25672). AMQP listens on 127.0.0.1 only, no plugins.
import { randomBytes } from 'node:crypto'
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { promisify } from 'node:util'
import amqp from 'amqplib'
import { isAlive, notStartedDetail, portInUse, requireBinary, spawnDetached, tail, terminate, waitForExit, waitUntil } from './proc.ts'
import { readBrokerState, writeBrokerState } from './state.ts'
import { BrokerUnavailableError, type BrokerContext, type BrokerStatus, type LocalBroker } from './types.ts'

export const RABBITMQ_HOW_TO_GET = 'apt-get install rabbitmq-server, or set AMQP_URL, or docker compose up rabbitmq'

export interface RabbitOptions {
  /** AMQP port. Default env MWLAB_AMQP_PORT, else 15673. */
  port?: number
  /** Erlang distribution port. Default env MWLAB_AMQP_DIST_PORT, else 25673. */
  distPort?: number
  /** Erlang node name; must differ from every other node on this host. Default mwlab@localhost. */
  nodeName?: string
  readyTimeoutMs?: number
}

export function createRabbitBroker(opts: RabbitOptions = {}): LocalBroker {
  const port = opts.port ?? Number(process.env.MWLAB_AMQP_PORT ?? 15673)
  const distPort = opts.distPort ?? Number(process.env.MWLAB_AMQP_DIST_PORT ?? 25673)
  const nodeName = opts.nodeName ?? process.env.MWLAB_RABBITMQ_NODE ?? 'mwlab@localhost'
  const readyTimeoutMs = opts.readyTimeoutMs ?? 120_000

  async function status(ctx: BrokerContext): Promise<BrokerStatus> {
    const rec = readBrokerState(ctx.runDir, 'rabbitmq')
    if (!rec) return { name: 'rabbitmq', url: urlOf(port), running: false, external: false, detail: await notStartedDetail(port, 'AMQP_URL', 'not running') }
    const alive = rec.pids.filter((p) => isAlive(p, homeOf(ctx)))
    if (alive.length === 0) return { name: 'rabbitmq', url: rec.url, running: false, external: false, detail: `stale: pid ${rec.pids.join(',')} gone` }
    const ok = await amqpConnects(rec.url)
    return { name: 'rabbitmq', url: rec.url, running: ok, external: false, pids: alive, detail: `node ${String(rec.extra?.nodeName)}${ok ? '' : ', booting or not answering AMQP'}` }
  }

  async function up(ctx: BrokerContext): Promise<BrokerStatus> {
    const current = await status(ctx)
    if (current.running) return current
    const dir = join(ctx.runDir, 'rabbitmq')
    const outLog = join(dir, 'rabbitmq.out.log')
    if (current.pids?.length) {
      // Ours and still booting (another `up` started it a moment ago): wait for it.
      await waitReady(current.url, { pid: current.pids[0]! }, outLog, ctx, readyTimeoutMs)
      return status(ctx)
    }
    const scripts = rabbitScripts()
    for (const p of [port, distPort]) {
      if (await portInUse(p)) {
        throw new BrokerUnavailableError('rabbitmq', `port ${p} is taken by another process; set MWLAB_AMQP_PORT / MWLAB_AMQP_DIST_PORT to free ports, or AMQP_URL to use that server`)
      }
    }
    const env = prepareNodeDir(ctx, { port, distPort, nodeName })
    ctx.log(`rabbitmq: starting node ${nodeName} on 127.0.0.1:${port} (dist ${distPort}; logs ${join(dir, 'log')}); boot takes a few seconds`)
    // `detached` makes the script exec the Erlang VM instead of waiting on it, so the pid
    // we record is the broker itself.
    const started = spawnDetached(scripts.server, [], { cwd: dir, env: { ...env, detached: 'true' }, logFile: outLog })
    const url = urlOf(port)
    writeBrokerState(ctx.runDir, 'rabbitmq', { url, pids: [started.pid], ports: [port, distPort], startedAt: new Date().toISOString(), extra: { nodeName } })
    try {
      await waitReady(url, started, outLog, ctx, readyTimeoutMs)
    } catch (err) {
      await down(ctx) // leave no half-booted node behind
      throw err
    }
    ctx.log(`rabbitmq: ready at ${url}`)
    return status(ctx)
  }

  async function down(ctx: BrokerContext): Promise<void> {
    const rec = readBrokerState(ctx.runDir, 'rabbitmq')
    if (!rec) return
    const alive = rec.pids.filter((p) => isAlive(p, homeOf(ctx)))
    if (alive.length) {
      const node = String(rec.extra?.nodeName ?? nodeName)
      ctx.log(`rabbitmq: stopping node ${node} (pid ${alive.join(',')})`)
      try {
        await promisify(execFile)(rabbitScripts().ctl, ['-n', node, 'stop'], { env: nodeEnv(ctx, rec.ports[0]!, rec.ports[1]!, node), timeout: 30_000 })
        await waitForExit(alive, 30_000)
      } catch (err) {
        ctx.log(`rabbitmq: rabbitmqctl stop failed (${(err as Error).message.split('\n')[0]}); sending SIGTERM`)
        await terminate(alive, 15_000, ctx.log)
      }
    }
    writeBrokerState(ctx.runDir, 'rabbitmq', undefined)
  }

  return { name: 'rabbitmq', envVar: 'AMQP_URL', up, down, status }
}

export const rabbitBroker = createRabbitBroker()

function urlOf(port: number): string {
  return `amqp://guest:guest@127.0.0.1:${port}`
}

/** HOME of our node: holds its own Erlang cookie; also marks its VM's command line. */
function homeOf(ctx: BrokerContext): string {
  return join(ctx.runDir, 'rabbitmq', 'home')
}

/**
 * The real server scripts. Debian's /usr/sbin entries are a wrapper that switches to the
 * `rabbitmq` user and the system node's settings, so go to the scripts it wraps.
 */
function rabbitScripts(): { server: string; ctl: string } {
  const found = realpathSync(requireBinary('rabbitmq', 'rabbitmq-server', RABBITMQ_HOW_TO_GET))
  const dir = dirname(found)
  const server = basename(found) === 'rabbitmq-script-wrapper' ? join(dir, 'rabbitmq-server') : found
  const ctl = join(dir, 'rabbitmqctl')
  if (!existsSync(server) || !existsSync(ctl)) throw new BrokerUnavailableError('rabbitmq', `rabbitmq-server scripts not found next to ${found}: ${RABBITMQ_HOW_TO_GET}`)
  return { server, ctl }
}

/** Environment the server and rabbitmqctl share: same node, same cookie, none of the system's files. */
function nodeEnv(ctx: BrokerContext, port: number, distPort: number, nodeName: string): NodeJS.ProcessEnv {
  const dir = join(ctx.runDir, 'rabbitmq')
  return {
    ...process.env,
    HOME: homeOf(ctx),
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    ERL_EPMD_ADDRESS: '127.0.0.1',
  }
}

/** Fresh data dir, config, no plugins, own cookie. */
function prepareNodeDir(ctx: BrokerContext, o: { port: number; distPort: number; nodeName: string }): NodeJS.ProcessEnv {
  const dir = join(ctx.runDir, 'rabbitmq')
  // A lab broker starts empty: queues left by an earlier run would skew the next one.
  rmSync(join(dir, 'mnesia'), { recursive: true, force: true })
  for (const d of ['mnesia', 'log', 'home']) mkdirSync(join(dir, d), { recursive: true })
  writeFileSync(
    join(dir, 'rabbitmq.conf'),
    [
      `listeners.tcp.default = 127.0.0.1:${o.port}`,
      'loopback_users.guest = true',
      'log.console = false',
      'log.file.level = info',
      // CI disks are small; the default 50 MB limit is fine, a relative one may block publishers.
      'disk_free_limit.absolute = 50MB',
      '',
    ].join('\n'),
  )
  writeFileSync(join(dir, 'enabled_plugins'), '[].\n')
  writeFileSync(join(dir, 'rabbitmq-env.conf'), '# mwlab: everything is set through the environment\n')
  const cookie = join(homeOf(ctx), '.erlang.cookie')
  if (!existsSync(cookie)) writeFileSync(cookie, randomBytes(15).toString('hex').toUpperCase(), { mode: 0o400 })
  return nodeEnv(ctx, o.port, o.distPort, o.nodeName)
}

async function waitReady(url: string, started: { pid: number; exit?: unknown }, outLog: string, ctx: BrokerContext, timeoutMs: number) {
  let lastTick = 0
  await waitUntil(
    async () => {
      if (started.exit || !isAlive(started.pid)) {
        throw new BrokerUnavailableError('rabbitmq', `rabbitmq-server exited during boot; last output:\n${tail(outLog)}`)
      }
      return amqpConnects(url)
    },
    {
      timeoutMs,
      intervalMs: 500,
      onTick: (ms) => {
        if (ms - lastTick < 5000) return
        lastTick = ms
        ctx.log(`rabbitmq: booting... ${Math.round(ms / 1000)} s`)
      },
      onTimeout: () => new BrokerUnavailableError('rabbitmq', `rabbitmq did not accept AMQP connections within ${timeoutMs} ms; last output:\n${tail(outLog)}`),
    },
  )
}

/** True when an AMQP handshake (with guest) succeeds. */
export async function amqpConnects(url: string): Promise<boolean> {
  try {
    const conn = await amqp.connect(url, { timeout: 2000 })
    await conn.close()
    return true
  } catch {
    return false
  }
}
