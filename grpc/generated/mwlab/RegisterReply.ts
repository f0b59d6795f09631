// Original file: grpc/review.proto


export interface RegisterReply {
  'heartbeatMs'?: (number);
}

export interface RegisterReply__Output {
  'heartbeatMs': (number);
}
