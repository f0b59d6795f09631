// Original file: grpc/review.proto

import type { Long } from '@grpc/proto-loader';

export interface Review {
  'id'?: (string);
  'productId'?: (string);
  'reviewerId'?: (string);
  'rating'?: (number);
  'text'?: (string);
  'ts'?: (number | string | Long);
}

export interface Review__Output {
  'id': (string);
  'productId': (string);
  'reviewerId': (string);
  'rating': (number);
  'text': (string);
  'ts': (number);
}
