// mwlab sink <middleware>: subscribes to the trending broadcast and appends every update
// to a CSV file (core/sink.ts) until Ctrl-C or --count updates.
import { Command } from 'commander'
import { loadDriver, needsBroker } from '../core/drivers.ts'
import { createLogger } from '../core/log.ts'
import type { TrendingUpdate } from '../core/schemas.ts'
import { runSink } from '../core/sink.ts'
import { defaultServer } from './broker-url.ts'
import { parseIntOption, parseMiddleware } from './options.ts'

async function* take<T>(source: AsyncIterable<T>, n: number | undefined): AsyncGenerator<T> {
  if (n === 0) return
  let i = 0
  for await (const v of source) {
    yield v
    if (n !== undefined && ++i >= n) return
  }
}

export function registerSink(program: Command): void {
  program
    .command('sink')
    .description('append every trending broadcast to a CSV file (seq,at,rank,productId,count,meanRating)')
    .argument('<middleware>', 'rpc | grpc | redis | rabbitmq | kafka', parseMiddleware)
    .option('--server <address>', 'the address a node printed (queue middlewares: default broker#mwlab)')
    .requiredOption('--out <file>', 'CSV file to append to (the header is written when the file is new)')
    .option('--count <n>', 'stop after n broadcasts (default: until Ctrl-C)', parseIntOption)
    .action(async (mw, o: { server?: string; out: string; count?: number }) => {
      const log = createLogger('sink')
      let server = o.server
      if (!server) {
        if (!needsBroker(mw)) throw new Error('--server <address> is required (the address `mwlab serve` printed)')
        server = await defaultServer(mw)
      }
      const client = await (await loadDriver(mw)).connect({ server })
      const ac = new AbortController()
      const stop = () => ac.abort()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
      log.info(`appending ${mw} trending broadcasts from ${server} to ${o.out}`)
      try {
        const updates: AsyncIterable<TrendingUpdate> = take(client.subscribe({ signal: ac.signal }), o.count)
        const rows = await runSink(updates, o.out, {
          onInvalid: (_u, reason) => log.warn(`skipped a malformed update: ${reason}`),
          onUpdate: (u, n) => log.debug(`update ${u.seq}: ${n} rows`),
        })
        log.info(`wrote ${rows} rows to ${o.out}`)
      } finally {
        process.off('SIGINT', stop)
        process.off('SIGTERM', stop)
        await client.close()
      }
    })
}
