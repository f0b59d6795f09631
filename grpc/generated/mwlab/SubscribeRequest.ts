// Original file: grpc/review.proto


export interface SubscribeRequest {
}

export interface SubscribeRequest__Output {
}
