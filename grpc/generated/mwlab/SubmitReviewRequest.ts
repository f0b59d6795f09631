// Original file: grpc/review.proto

import type { Long } from '@grpc/proto-loader';

export interface SubmitReviewRequest {
  'productId'?: (string);
  'reviewerId'?: (string);
  'rating'?: (number);
  'text'?: (string);
  /**
   * ms since epoch; the service stamps the time of receipt when absent
   */
  'ts'?: (number | string | Long);
  /**
   * makes a retried submit idempotent (failover)
   */
  'requestId'?: (string);
  '_productId'?: "productId";
  '_reviewerId'?: "reviewerId";
  '_rating'?: "rating";
  '_text'?: "text";
  '_ts'?: "ts";
  '_requestId'?: "requestId";
}

export interface SubmitReviewRequest__Output {
  'productId'?: (string);
  'reviewerId'?: (string);
  'rating'?: (number);
  'text'?: (string);
  /**
   * ms since epoch; the service stamps the time of receipt when absent
   */
  'ts'?: (number);
  /**
   * makes a retried submit idempotent (failover)
   */
  'requestId'?: (string);
  '_productId'?: "productId";
  '_reviewerId'?: "reviewerId";
  '_rating'?: "rating";
  '_text'?: "text";
  '_ts'?: "ts";
  '_requestId'?: "requestId";
}
