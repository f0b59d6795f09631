// Loads grpc/review.proto at runtime with exactly the options `npm run gen:proto` uses, so
// the generated types in grpc/generated/ describe the objects the loader really produces.
import { fileURLToPath } from 'node:url'
import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import type { ProtoGrpcType } from './generated/review.ts'

export const PROTO_PATH = fileURLToPath(new URL('./review.proto', import.meta.url))

/** Keep in sync with the gen:proto script in package.json. */
export const LOADER_OPTIONS: protoLoader.Options = { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true }

const packageDefinition = protoLoader.loadSync(PROTO_PATH, LOADER_OPTIONS)

/** The mwlab package: service constructors (typed stubs) and their service definitions. */
export const mwlab = (grpc.loadPackageDefinition(packageDefinition) as unknown as ProtoGrpcType).mwlab

/** Requests over this size are refused with RESOURCE_EXHAUSTED (the largest valid one is ~4.2 KB). */
export const MAX_REQUEST_BYTES = 1024 * 1024

/** Replies can be large (listReviews with limit 1000 of 4 KiB texts): more than grpc-js's 4 MiB default. */
const MAX_REPLY_BYTES = 64 * 1024 * 1024

/** Channel options of every client this folder creates. */
export const CLIENT_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': MAX_REPLY_BYTES,
}

export const SERVER_OPTIONS: grpc.ServerOptions = {
  'grpc.max_receive_message_length': MAX_REQUEST_BYTES,
}

/** Metadata key carrying the offending field of an INVALID_ARGUMENT status. */
export const FIELD_METADATA_KEY = 'mwlab-field'
