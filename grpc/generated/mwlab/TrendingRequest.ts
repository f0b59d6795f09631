// Original file: grpc/review.proto


export interface TrendingRequest {
  'windowMs'?: (number);
  'k'?: (number);
  '_windowMs'?: "windowMs";
  '_k'?: "k";
}

export interface TrendingRequest__Output {
  'windowMs'?: (number);
  'k'?: (number);
  '_windowMs'?: "windowMs";
  '_k'?: "k";
}
