// Original file: grpc/review.proto


export interface DeregisterRequest {
  'id'?: (string);
}

export interface DeregisterRequest__Output {
  'id': (string);
}
