// Original file: grpc/review.proto


export interface ListReviewsRequest {
  'productId'?: (string);
  'limit'?: (number);
  '_productId'?: "productId";
  '_limit'?: "limit";
}

export interface ListReviewsRequest__Output {
  'productId'?: (string);
  'limit'?: (number);
  '_productId'?: "productId";
  '_limit'?: "limit";
}
