// Original file: grpc/review.proto

import type { Long } from '@grpc/proto-loader';

export interface WorkerInfo {
  'id'?: (string);
  'address'?: (string);
  'pid'?: (number);
  'lastSeen'?: (number | string | Long);
  '_pid'?: "pid";
}

export interface WorkerInfo__Output {
  'id': (string);
  'address': (string);
  'pid'?: (number);
  'lastSeen': (number);
  '_pid'?: "pid";
}
