// Original file: grpc/review.proto


export interface DeregisterReply {
}

export interface DeregisterReply__Output {
}
