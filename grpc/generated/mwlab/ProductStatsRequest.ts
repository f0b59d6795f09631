// Original file: grpc/review.proto


export interface ProductStatsRequest {
  'productId'?: (string);
  '_productId'?: "productId";
}

export interface ProductStatsRequest__Output {
  'productId'?: (string);
  '_productId'?: "productId";
}
