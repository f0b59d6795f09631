// Original file: grpc/review.proto


export interface TrendingEntry {
  'productId'?: (string);
  'count'?: (number);
  'meanRating'?: (number | string);
}

export interface TrendingEntry__Output {
  'productId': (string);
  'count': (number);
  'meanRating': (number);
}
