// mwlab's load generator with a bare HTTP client: keep-alive node:http POSTs of the same
// JSON-RPC moderate body the rpc driver sends, nothing else. Compared with autocannon on
// the same endpoint it tells whether mwlab's generator itself is a bottleneck.
import http from 'node:http'
import { InternalError, UnavailableError } from '../../core/errors.ts'
import { echoOfText } from '../operations.ts'
import { payloadPool, POOL_SIZE } from '../payload.ts'
import type { RawClientFactory } from './raw.ts'

export const connectRaw: RawClientFactory = async (address, workload, seed) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1024, maxFreeSockets: 1024, scheduling: 'lifo' })
  const u = new URL(address)
  const texts = payloadPool(workload.payload, seed).inputs.map((i) => i.text)
  let n = 0
  const caller = (id: string) =>
    new Promise<string | undefined>((resolve, reject) => {
      const body = JSON.stringify({ jsonrpc: '2.0', id: ++n, method: 'moderate', params: { text: `[${id}] ${texts[n & (POOL_SIZE - 1)]}` } })
      const req = http.request(
        { host: u.hostname, port: Number(u.port), path: '/', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => {
            try {
              const r = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { result?: { text: string }; error?: { message: string } }
              if (!r.result) reject(new InternalError(r.error?.message ?? `HTTP ${res.statusCode}`))
              else resolve(echoOfText(r.result.text) ?? '')
            } catch (err) {
              reject(new InternalError('undecodable reply', { cause: err }))
            }
          })
        },
      )
      req.on('error', (err) => reject(new UnavailableError(`${address}: ${err.message}`, { cause: err })))
      req.end(body)
    })
  return {
    caller,
    async close() {
      agent.destroy()
    },
  }
}
