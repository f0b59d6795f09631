// Original file: grpc/review.proto


export interface WorkersRequest {
}

export interface WorkersRequest__Output {
}
