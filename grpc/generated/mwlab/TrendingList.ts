// Original file: grpc/review.proto

import type { TrendingEntry as _mwlab_TrendingEntry, TrendingEntry__Output as _mwlab_TrendingEntry__Output } from '../mwlab/TrendingEntry.ts';

export interface TrendingList {
  'entries'?: (_mwlab_TrendingEntry)[];
}

export interface TrendingList__Output {
  'entries': (_mwlab_TrendingEntry__Output)[];
}
