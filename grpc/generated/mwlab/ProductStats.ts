// Original file: grpc/review.proto


export interface ProductStats {
  'productId'?: (string);
  'count'?: (number);
  'meanRating'?: (number | string);
}

export interface ProductStats__Output {
  'productId': (string);
  'count': (number);
  'meanRating': (number);
}
