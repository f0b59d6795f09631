// Original file: grpc/review.proto

import type { Review as _mwlab_Review, Review__Output as _mwlab_Review__Output } from '../mwlab/Review.ts';

export interface ReviewList {
  'reviews'?: (_mwlab_Review)[];
}

export interface ReviewList__Output {
  'reviews': (_mwlab_Review__Output)[];
}
