// Original file: grpc/review.proto

import type { TrendingEntry as _mwlab_TrendingEntry, TrendingEntry__Output as _mwlab_TrendingEntry__Output } from '../mwlab/TrendingEntry.ts';
import type { Long } from '@grpc/proto-loader';

export interface TrendingUpdate {
  'seq'?: (number | string | Long);
  'at'?: (number | string | Long);
  'top'?: (_mwlab_TrendingEntry)[];
}

export interface TrendingUpdate__Output {
  'seq': (number);
  'at': (number);
  'top': (_mwlab_TrendingEntry__Output)[];
}
