// The bare grpc-js baseline: one unary method that returns the request bytes, with
// identity serialization (no protobuf), server in the main thread, client in the load
// generator. What grpc-js itself costs per call on this machine.
import * as grpc from '@grpc/grpc-js'
import { InternalError, UnavailableError } from '../../core/errors.ts'
import { echoOfText } from '../operations.ts'
import { payloadPool, POOL_SIZE } from '../payload.ts'
import type { RawClientFactory, RawServer } from './raw.ts'

const identity = (b: Buffer) => b
const ECHO = {
  echo: {
    path: '/mwlab.calibrate.Echo/Echo',
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
} satisfies grpc.ServiceDefinition

export async function startGrpcEcho(): Promise<RawServer> {
  const server = new grpc.Server()
  server.addService(ECHO, {
    echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, call.request),
  })
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  )
  return {
    address: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  }
}

const EchoClient = grpc.makeGenericClientConstructor(ECHO, 'Echo')

export const connectRaw: RawClientFactory = async (address, workload, seed) => {
  const client = new EchoClient(address, grpc.credentials.createInsecure())
  await new Promise<void>((resolve, reject) =>
    client.waitForReady(Date.now() + 5000, (err) => (err ? reject(new UnavailableError(`grpc echo at ${address}: ${err.message}`, { cause: err })) : resolve())),
  )
  const texts = payloadPool(workload.payload, seed).inputs.map((i) => i.text)
  const echo = client.echo as unknown as (req: Buffer, cb: (err: grpc.ServiceError | null, res?: Buffer) => void) => void
  let n = 0
  const caller = (id: string) =>
    new Promise<string | undefined>((resolve, reject) => {
      echo.call(client, Buffer.from(`[${id}] ${texts[n++ & (POOL_SIZE - 1)]}`), (err, res) => {
        if (err) reject(err.code === grpc.status.UNAVAILABLE ? new UnavailableError(err.message, { cause: err }) : new InternalError(err.message, { cause: err }))
        else resolve(echoOfText(res ? res.toString('utf8') : '') ?? '')
      })
    })
  return {
    caller,
    async close() {
      client.close()
    },
  }
}
