// mwlab's load generator with a bare HTTP client: keep-alive POSTs (undici, the client the
// rpc driver uses) of the same JSON-RPC moderate body the rpc driver sends, nothing else.
// Compared with autocannon on the same endpoint it tells whether mwlab's generator itself
// is a bottleneck.
import { Agent } from 'undici'
import { InternalError, UnavailableError } from '../../core/errors.ts'
import { echoOfText } from '../operations.ts'
import { payloadPool, POOL_SIZE } from '../payload.ts'
import type { RawClientFactory } from './raw.ts'

export const connectRaw: RawClientFactory = async (address, workload, seed) => {
  const agent = new Agent({ connections: 1024, pipelining: 1 })
  const origin = new URL(address).origin
  const texts = payloadPool(workload.payload, seed).inputs.map((i) => i.text)
  let n = 0
  const caller = async (id: string): Promise<string | undefined> => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: ++n, method: 'moderate', params: { text: `[${id}] ${texts[n & (POOL_SIZE - 1)]}` } })
    let status: number
    let text: string
    try {
      const res = await agent.request({ origin, path: '/', method: 'POST', headers: { 'content-type': 'application/json' }, body })
      status = res.statusCode
      text = await res.body.text()
    } catch (err) {
      throw new UnavailableError(`${address}: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
    }
    let r: { result?: { text: string }; error?: { message: string } }
    try {
      r = JSON.parse(text) as typeof r
    } catch (err) {
      throw new InternalError('undecodable reply', { cause: err })
    }
    if (!r.result) throw new InternalError(r.error?.message ?? `HTTP ${status}`)
    return echoOfText(r.result.text) ?? ''
  }
  return {
    caller,
    async close() {
      await agent.destroy()
    },
  }
}
