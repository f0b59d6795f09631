// Original file: grpc/review.proto


export interface HeartbeatRequest {
  'id'?: (string);
}

export interface HeartbeatRequest__Output {
  'id': (string);
}
