// mwlab call / mwlab subscribe: one operation, or the broadcast stream, from the shell.
import { Command } from 'commander'
import type { MiddlewareName, ReviewClient } from '../core/contract.ts'
import { loadDriver, needsBroker } from '../core/drivers.ts'
import { MwlabError, ValidationError } from '../core/errors.ts'
import { invokeOperation } from '../core/operations.ts'
import { OPERATION_NAMES } from '../core/schemas.ts'
import { defaultServer } from './broker-url.ts'
import { parseIntOption, parseMiddleware } from './options.ts'

async function connect(mw: MiddlewareName, server: string | undefined, timeoutMs: number): Promise<ReviewClient> {
  if (!server) {
    if (!needsBroker(mw)) throw new Error('--server <address> is required (the address `mwlab serve` printed)')
    server = await defaultServer(mw)
  }
  return (await loadDriver(mw)).connect({ server, timeoutMs })
}

function parseJson(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {}
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch (err) {
    throw new ValidationError('params', `not valid JSON: ${(err as Error).message}`, { cause: err })
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ValidationError('params', 'must be a JSON object')
  return v as Record<string, unknown>
}

export function registerCall(program: Command): void {
  program
    .command('call')
    .description('call one operation and print its JSON result')
    .argument('<middleware>', 'rpc | grpc | redis | rabbitmq | kafka', parseMiddleware)
    .argument('<operation>', OPERATION_NAMES.join(' | '))
    .argument('[params]', 'JSON object of parameters, e.g. \'{"productId":"B000000001"}\'')
    .option('--server <address>', 'the address a node printed (queue middlewares: default broker#mwlab)')
    .option('--timeout <ms>', 'deadline for the call', parseIntOption, 10_000)
    .addHelpText(
      'after',
      `
Examples:
  mwlab call rpc submitReview '{"productId":"B000000001","reviewerId":"r1","rating":5,"text":"great"}' --server http://127.0.0.1:8080
  mwlab call grpc moderate '{"text":"what a scam","cost":{"ioMillis":5}}' --server 127.0.0.1:50051
  mwlab call rpc trending '{"windowMs":60000,"k":5}' --server http://127.0.0.1:8080`,
    )
    .action(async (mw, op, params, o) => {
      const client = await connect(mw, o.server, o.timeout)
      try {
        const result = await invokeOperation(client, op, parseJson(params), { timeoutMs: o.timeout })
        process.stdout.write(JSON.stringify(result) + '\n')
      } finally {
        await client.close()
      }
    })

  program
    .command('subscribe')
    .description('print every trending broadcast as a JSON line')
    .argument('<middleware>', 'rpc | grpc | redis | rabbitmq | kafka', parseMiddleware)
    .option('--server <address>', 'the address a node printed (queue middlewares: default broker#mwlab)')
    .option('--count <n>', 'stop after n broadcasts (default: until Ctrl-C)', parseIntOption)
    .action(async (mw, o) => {
      const client = await connect(mw, o.server, 10_000)
      const ac = new AbortController()
      process.once('SIGINT', () => ac.abort())
      let n = 0
      try {
        for await (const u of client.subscribe({ signal: ac.signal })) {
          process.stdout.write(JSON.stringify(u) + '\n')
          if (o.count !== undefined && ++n >= o.count) break
        }
      } finally {
        await client.close()
      }
    })
}

/** Exit code and message for an error that reached the top of a command. */
export function describeFailure(err: unknown): { code: number; message: string } {
  if (err instanceof MwlabError) return { code: 2, message: `error ${err.code}: ${err.message}` }
  return { code: 1, message: `error: ${err instanceof Error ? err.message : String(err)}` }
}
